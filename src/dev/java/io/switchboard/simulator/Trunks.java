package io.switchboard.simulator;

import io.quarkus.arc.profile.IfBuildProfile;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Trunking v1's {@code /v1/Trunks}, with the credential lists attached to a trunk and its origination URLs. */
@IfBuildProfile(anyOf = { "dev", "test" })
@ApplicationScoped
class Trunks implements TwilioResource {

    private static final String TRUNKS = "/v1/Trunks";
    private static final String LISTS = TRUNKS + "/{TrunkSid}/CredentialLists";
    private static final String ORIGINATION = TRUNKS + "/{TrunkSid}/OriginationUrls";
    private static final Pattern DOMAIN_NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}\\.pstn\\.twilio\\.com");
    // Twilio's code for a domain name in use is not in our notes (a guess); callers must only rely on the 409.
    private static final int DOMAIN_IN_USE = 21248;

    private final Accounts accounts;

    Trunks(Accounts accounts) {
        this.accounts = accounts;
    }

    @Override
    public void register(Routes routes) {
        routes.on(HttpMethod.POST, "trunking", TRUNKS, x -> Reply.created(create(x.account(), x.form(), x.base())));
        routes.on(HttpMethod.GET, "trunking", TRUNKS, x -> Reply.ok(Pages.pageV1("trunks",
                list(x.account(), x.base()), x.base() + TRUNKS, x.query())));
        routes.on(HttpMethod.GET, "trunking", TRUNKS + "/{Sid}",
                x -> Reply.ok(fetch(x.account(), x.path("Sid"), x.requestPath(), x.base())));
        routes.on(HttpMethod.DELETE, "trunking", TRUNKS + "/{Sid}", x -> {
            delete(x.account(), x.path("Sid"), x.requestPath());
            return Reply.noContent();
        });

        routes.on(HttpMethod.POST, "trunking", LISTS, x -> Reply.created(attachCredentialList(x.account(),
                x.path("TrunkSid"), x.form(), x.requestPath(), x.base())));
        routes.on(HttpMethod.GET, "trunking", LISTS, x -> Reply.ok(Pages.pageV1("credential_lists",
                listCredentialLists(x.account(), x.path("TrunkSid"), x.requestPath(), x.base()),
                x.base() + TRUNKS + "/" + x.path("TrunkSid") + "/CredentialLists", x.query())));
        routes.on(HttpMethod.GET, "trunking", LISTS + "/{Sid}", x -> Reply.ok(fetchCredentialList(x.account(),
                x.path("TrunkSid"), x.path("Sid"), x.requestPath(), x.base())));
        routes.on(HttpMethod.DELETE, "trunking", LISTS + "/{Sid}", x -> {
            detachCredentialList(x.account(), x.path("TrunkSid"), x.path("Sid"), x.requestPath());
            return Reply.noContent();
        });

        routes.on(HttpMethod.POST, "trunking", ORIGINATION, x -> Reply.created(createOriginationUrl(x.account(),
                x.path("TrunkSid"), x.form(), x.requestPath(), x.base())));
        routes.on(HttpMethod.GET, "trunking", ORIGINATION, x -> Reply.ok(Pages.pageV1("origination_urls",
                listOriginationUrls(x.account(), x.path("TrunkSid"), x.requestPath(), x.base()),
                x.base() + TRUNKS + "/" + x.path("TrunkSid") + "/OriginationUrls", x.query())));
        routes.on(HttpMethod.DELETE, "trunking", ORIGINATION + "/{Sid}", x -> {
            deleteOriginationUrl(x.account(), x.path("TrunkSid"), x.path("Sid"), x.requestPath());
            return Reply.noContent();
        });
    }

    /** Trunks of every account, with URLs relative to the simulator's trunking base. */
    List<JsonObject> all() {
        synchronized (accounts) {
            return accounts.all().stream().flatMap(a -> a.trunks.values().stream()).map(t -> t.toJson(""))
                    .toList();
        }
    }

    JsonObject create(SimAccount account, Params form, String base) {
        synchronized (accounts) {
            String domainName = form.get("DomainName");
            if (domainName != null && !domainName.isEmpty()) {
                if (!DOMAIN_NAME.matcher(domainName).matches()) {
                    throw new SimError(400, 21245, "DomainName must be <unique name>.pstn.twilio.com: " + domainName);
                }
                boolean taken = accounts.all().stream().flatMap(a -> a.trunks.values().stream())
                        .anyMatch(t -> domainName.equals(t.domainName));
                if (taken) {
                    throw new SimError(409, DOMAIN_IN_USE, "DomainName " + domainName + " is already in use");
                }
            }
            var trunk = new SimTrunk(account.sid, form.get("FriendlyName"), blankToNull(domainName));
            account.trunks.put(trunk.sid, trunk);
            return trunk.toJson(base);
        }
    }

    JsonObject fetch(SimAccount account, String sid, String path, String base) {
        synchronized (accounts) {
            return require(account, sid, path).toJson(base);
        }
    }

    List<JsonObject> list(SimAccount account, String base) {
        synchronized (accounts) {
            return account.trunks.values().stream().map(t -> t.toJson(base)).toList();
        }
    }

    /** Also releases the trunk's numbers from it, as Twilio does. */
    void delete(SimAccount account, String sid, String path) {
        synchronized (accounts) {
            require(account, sid, path);
            account.trunks.remove(sid);
            account.numbers.values().stream().filter(n -> sid.equals(n.trunkSid)).forEach(n -> n.trunkSid = null);
        }
    }

    JsonObject attachCredentialList(SimAccount account, String trunkSid, Params form, String path, String base) {
        synchronized (accounts) {
            var trunk = require(account, trunkSid, path);
            String listSid = form.require("CredentialListSid");
            var list = account.credentialLists.get(listSid);
            if (list == null) {
                throw SimError.notFound(path + " (CredentialListSid " + listSid + ")");
            }
            if (trunk.credentialLists.containsKey(listSid)) {
                throw new SimError(409, 21240, "Credential list " + listSid + " is already associated with the trunk");
            }
            trunk.credentialLists.put(listSid, Instant.now());
            return trunk.credentialListJson(base, list, trunk.credentialLists.get(listSid));
        }
    }

    List<JsonObject> listCredentialLists(SimAccount account, String trunkSid, String path, String base) {
        synchronized (accounts) {
            var trunk = require(account, trunkSid, path);
            var result = new ArrayList<JsonObject>();
            trunk.credentialLists.forEach((sid, attached) -> {
                var list = account.credentialLists.get(sid);
                if (list != null) {
                    result.add(trunk.credentialListJson(base, list, attached));
                }
            });
            return result;
        }
    }

    JsonObject fetchCredentialList(SimAccount account, String trunkSid, String sid, String path, String base) {
        synchronized (accounts) {
            var trunk = require(account, trunkSid, path);
            var list = account.credentialLists.get(sid);
            if (list == null || !trunk.credentialLists.containsKey(sid)) {
                throw SimError.notFound(path);
            }
            return trunk.credentialListJson(base, list, trunk.credentialLists.get(sid));
        }
    }

    void detachCredentialList(SimAccount account, String trunkSid, String sid, String path) {
        synchronized (accounts) {
            var trunk = require(account, trunkSid, path);
            if (trunk.credentialLists.remove(sid) == null) {
                throw SimError.notFound(path);
            }
        }
    }

    JsonObject createOriginationUrl(SimAccount account, String trunkSid, Params form, String path, String base) {
        synchronized (accounts) {
            var trunk = require(account, trunkSid, path);
            String sipUrl = form.require("SipUrl");
            if (!sipUrl.startsWith("sip:")) {
                throw new SimError(400, 21245, "SipUrl must be a sip: URI");
            }
            var origination = new SimTrunk.OriginationUrl(Sids.next("OU"), form.require("FriendlyName"), sipUrl,
                    form.integer("Weight", 10), form.integer("Priority", 10),
                    !"false".equalsIgnoreCase(form.get("Enabled", "true")), Instant.now());
            trunk.originationUrls.put(origination.sid(), origination);
            return trunk.originationUrlJson(base, origination);
        }
    }

    List<JsonObject> listOriginationUrls(SimAccount account, String trunkSid, String path, String base) {
        synchronized (accounts) {
            var trunk = require(account, trunkSid, path);
            return trunk.originationUrls.values().stream().map(o -> trunk.originationUrlJson(base, o)).toList();
        }
    }

    void deleteOriginationUrl(SimAccount account, String trunkSid, String sid, String path) {
        synchronized (accounts) {
            var trunk = require(account, trunkSid, path);
            if (trunk.originationUrls.remove(sid) == null) {
                throw SimError.notFound(path);
            }
        }
    }

    private static SimTrunk require(SimAccount account, String sid, String path) {
        var trunk = account.trunks.get(sid);
        if (trunk == null) {
            throw SimError.notFound(path);
        }
        return trunk;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
