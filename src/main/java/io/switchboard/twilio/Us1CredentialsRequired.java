package io.switchboard.twilio;

/**
 * A request for a product Twilio serves only from US1, for a provider outside US1 that has no US1 credentials. Nothing
 * was sent: the provider's regional credentials would be refused in US1. The same request fails again until US1
 * credentials are added.
 */
public final class Us1CredentialsRequired extends TwilioException {

    private final TwilioRegion region;

    Us1CredentialsRequired(TwilioRegion region, String what) {
        super(Kind.PERMANENT, 0, null, what + " for an account in " + region.id() + " is served from us1: the provider "
                + "needs US1 credentials (us1AuthToken, or us1ApiKeySid with us1ApiKeySecret)", null);
        this.region = region;
    }

    /** The provider's own region, which lacks the product. */
    public TwilioRegion region() {
        return region;
    }

    /** Nothing reached Twilio and nothing will until the provider changes: not an outage. */
    @Override
    public boolean isUnavailable() {
        return false;
    }
}
