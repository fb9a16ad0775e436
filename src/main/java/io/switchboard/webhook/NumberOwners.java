package io.switchboard.webhook;

import java.util.Optional;
import java.util.UUID;

/**
 * Which provider owns an imported number, answered from memory: the signature check verifies a webhook only with the
 * tokens of the provider that owns the number it concerns. Provided by the routing table, which knows every number.
 */
public interface NumberOwners {

    /** The provider the number (E.164) is imported with, if it is imported here. */
    Optional<UUID> providerOf(String number);
}
