package dev.leap.connectors.http;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** Which token a resource demands. A resource without this annotation is not reachable. */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface Access {

    Role value();

    enum Role {
        /** May send messages, and so change the owner's data through the agent. */
        OWNER,
        /** May read the log and nothing else. */
        AUDITOR,
        /**
         * Called by a channel's own server (BlueBubbles), which cannot send a bearer token: the
         * resource checks the secret in its URL itself and records its own refusals.
         */
        WEBHOOK
    }
}
