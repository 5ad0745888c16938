package dev.leap.connectors.service;

import jakarta.inject.Singleton;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;

/** Leap is ready ({@code /q/health/ready}) once its model is loaded, not merely when HTTP listens. */
@org.eclipse.microprofile.health.Readiness
@Singleton
public class Readiness implements HealthCheck {

    private final Startup startup;

    public Readiness(Startup startup) {
        this.startup = startup;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("model").status(startup.ready()).build();
    }
}
