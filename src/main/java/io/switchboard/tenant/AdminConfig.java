package io.switchboard.tenant;

import io.smallrye.config.ConfigMapping;

/** The operator's credentials. */
@ConfigMapping(prefix = "switchboard.admin")
public interface AdminConfig {

    /** Bearer token of the operator, who creates organizations ({@code ADMIN_TOKEN}). */
    String token();
}
