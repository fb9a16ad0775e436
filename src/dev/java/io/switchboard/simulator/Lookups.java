package io.switchboard.simulator;

import io.quarkus.arc.profile.IfBuildProfile;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;

/** Lookups v2's {@code /v2/PhoneNumbers/{PhoneNumber}}: validity and formatting, from {@link NumberingPlan}. */
@IfBuildProfile(anyOf = { "dev", "test" })
@ApplicationScoped
class Lookups implements TwilioResource {

    @Override
    public void register(Routes routes) {
        routes.on(HttpMethod.GET, "lookups", "/v2/PhoneNumbers/{PhoneNumber}", x -> Reply.ok(lookup(
                x.path("PhoneNumber"), x.query().get("CountryCode"), x.base())));
    }

    JsonObject lookup(String rawNumber, String countryCode, String base) {
        String number = rawNumber;
        if (!number.startsWith("+") && "US".equalsIgnoreCase(countryCode)) {
            number = "+1" + number.replaceAll("[^0-9]", "");
        }
        boolean valid = NumberingPlan.isValid(number);
        var errors = new JsonArray();
        if (!valid) {
            errors.add(number.replaceAll("[^0-9]", "").length() < 8 ? "TOO_SHORT" : "INVALID_BUT_POSSIBLE");
        }
        // The data packages (caller_name, line_type_intelligence, ...) are left out: their schemas are objects that
        // may not be null, and the simulator has no data for them.
        return new JsonObject()
                .put("calling_country_code", NumberingPlan.callingCode(number))
                .put("country_code", NumberingPlan.country(number))
                .put("phone_number", number)
                .put("national_format", valid ? NumberingPlan.nationalFormat(number) : null)
                .put("valid", valid)
                .put("validation_errors", errors)
                .put("phone_number_quality_score", null)
                .put("pre_fill", null)
                .put("url", base + "/v2/PhoneNumbers/" + number);
    }
}
