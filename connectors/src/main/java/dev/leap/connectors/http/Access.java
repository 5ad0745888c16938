package dev.leap.connectors.http;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** Which token a resource demands. A resource without this annotation is not reachable. */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface Access {

    /** The security scheme of the owner's token in the OpenAPI document (META-INF/openapi.yaml). */
    String OWNER_TOKEN = "owner";

    /** The security scheme of the auditor's token in the OpenAPI document. */
    String AUDITOR_TOKEN = "auditor";

    Role value();

    enum Role {
        /** May send messages, and so change the owner's data through the agent. */
        OWNER,
        /** May read the log, and revert a turn: the one change it can make, itself an event that can be reverted. */
        AUDITOR,
        /**
         * Called by a channel's own server (BlueBubbles), which cannot send a bearer token: the
         * resource checks the secret in its URL itself and records its own refusals.
         */
        WEBHOOK
    }
}
