package io.switchboard.tenant;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The operator's credentials. */
@ConfigMapping(prefix = "switchboard.admin")
@StrongAdminToken
public interface AdminConfig {

    /** Bearer token of the operator, who creates organizations ({@code ADMIN_TOKEN}). */
    String token();

    /** Whether a weak token is accepted: dev and test only, whose tokens are fixed and obviously fake. */
    @WithDefault("false")
    boolean allowWeakToken();
}
