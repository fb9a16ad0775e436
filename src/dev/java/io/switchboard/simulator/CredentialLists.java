package io.switchboard.simulator;

import io.quarkus.arc.profile.IfBuildProfile;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;

/** {@code /2010-04-01/Accounts/{AccountSid}/SIP/CredentialLists} and their credentials: who may use a SIP trunk. */
@IfBuildProfile(anyOf = { "dev", "test" })
@ApplicationScoped
class CredentialLists implements TwilioResource {

    private static final String LISTS = ACCOUNT + "/SIP/CredentialLists";
    // Twilio's code for a weak password is not in our notes (a guess); callers must only rely on the 400.
    private static final int WEAK_PASSWORD = 21250;

    private final Accounts accounts;

    CredentialLists(Accounts accounts) {
        this.accounts = accounts;
    }

    @Override
    public void register(Routes routes) {
        routes.on(HttpMethod.POST, "api", LISTS + ".json", x -> Reply.created(create(x.account(), x.form())));
        routes.on(HttpMethod.GET, "api", LISTS + ".json", x -> Reply.ok(Pages.page2010("credential_lists",
                list(x.account()), x.account().uri("/SIP/CredentialLists.json"), x.query(), List.of())));
        routes.on(HttpMethod.GET, "api", LISTS + "/{Sid}.json",
                x -> Reply.ok(fetch(x.account(), x.path("Sid"), x.requestPath())));
        routes.on(HttpMethod.DELETE, "api", LISTS + "/{Sid}.json", x -> {
            delete(x.account(), x.path("Sid"), x.requestPath());
            return Reply.noContent();
        });
        String credentials = LISTS + "/{CredentialListSid}/Credentials.json";
        routes.on(HttpMethod.POST, "api", credentials, x -> Reply.created(createCredential(x.account(),
                x.path("CredentialListSid"), x.form(), x.requestPath())));
        routes.on(HttpMethod.GET, "api", credentials, x -> Reply.ok(Pages.page2010("credentials",
                listCredentials(x.account(), x.path("CredentialListSid"), x.requestPath()),
                x.account().uri("/SIP/CredentialLists/" + x.path("CredentialListSid") + "/Credentials.json"),
                x.query(), List.of())));
    }

    JsonObject create(SimAccount account, Params form) {
        synchronized (accounts) {
            var list = new SimCredentialList(account.sid, form.require("FriendlyName"));
            account.credentialLists.put(list.sid, list);
            return list.toJson();
        }
    }

    List<JsonObject> list(SimAccount account) {
        synchronized (accounts) {
            return account.credentialLists.values().stream().map(SimCredentialList::toJson).toList();
        }
    }

    JsonObject fetch(SimAccount account, String sid, String path) {
        synchronized (accounts) {
            return require(account, sid, path).toJson();
        }
    }

    /** Also detaches the list from every trunk, as Twilio does. */
    void delete(SimAccount account, String sid, String path) {
        synchronized (accounts) {
            require(account, sid, path);
            account.credentialLists.remove(sid);
            account.trunks.values().forEach(t -> t.credentialLists.remove(sid));
        }
    }

    JsonObject createCredential(SimAccount account, String listSid, Params form, String path) {
        synchronized (accounts) {
            var list = require(account, listSid, path);
            String username = form.require("Username");
            String password = form.require("Password");
            if (password.length() < 12 || !password.matches(".*[A-Z].*") || !password.matches(".*[a-z].*")
                    || !password.matches(".*[0-9].*")) {
                throw new SimError(400, WEAK_PASSWORD, "Password must be at least 12 characters long and contain "
                        + "at least one uppercase letter, one lowercase letter and one digit");
            }
            if (list.credentials.values().stream().anyMatch(c -> c.username().equals(username))) {
                throw new SimError(409, 21240, "Username " + username + " already exists in this credential list");
            }
            var credential = new SimCredentialList.Credential(Sids.next("CR"), username, password, Instant.now());
            list.credentials.put(credential.sid(), credential);
            return list.credentialJson(credential);
        }
    }

    List<JsonObject> listCredentials(SimAccount account, String listSid, String path) {
        synchronized (accounts) {
            var list = require(account, listSid, path);
            return list.credentials.values().stream().map(list::credentialJson).toList();
        }
    }

    private static SimCredentialList require(SimAccount account, String sid, String path) {
        var list = account.credentialLists.get(sid);
        if (list == null) {
            throw SimError.notFound(path);
        }
        return list;
    }
}
