package io.switchboard.twilio;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Twilio's {@code X-Twilio-Signature}: Base64(HMAC-SHA1(auth token, URL + sorted form parameters)). Takes a multi-map
 * and the raw URL, unlike twilio-java's {@code RequestValidator}, so repeated keys and unusual encodings verify.
 */
public final class TwilioSignature {

    public static final String HEADER = "X-Twilio-Signature";
    public static final String BODY_SHA256 = "bodySHA256";

    private TwilioSignature() {
    }

    /** The signature of a form POST to {@code url} (a GET or JSON request: pass no parameters). */
    public static String sign(String url, Map<String, List<String>> params, String authToken) {
        return Base64.getEncoder().encodeToString(hmacSha1(authToken, url, signedParams(params)));
    }

    /**
     * Whether {@code signature} signs this form request with one of {@code authTokens} (the current token first, then
     * those still in their rotation grace period). The URL is tried as given, without its port and with the scheme's
     * default port, because Twilio is not consistent about ports. Each comparison takes the same time whatever the
     * bytes; stopping at the first match tells a caller only which URL form or token matched, none of which is secret.
     */
    public static boolean isValid(String signature, String url, Map<String, List<String>> params,
            Collection<String> authTokens) {
        return url != null && isValid(signature, List.of(url), params, authTokens);
    }

    /**
     * Whether {@code signature} signs this form request for one of {@code urls} (most likely first), as
     * {@link #isValid(String, String, Map, Collection)} does for one: every URL as given is tried before the port
     * variants of any.
     */
    public static boolean isValid(String signature, List<String> urls, Map<String, List<String>> params,
            Collection<String> authTokens) {
        if (signature == null || signature.isEmpty() || urls == null || urls.isEmpty() || authTokens == null) {
            return false;
        }
        byte[] expected = signature.getBytes(StandardCharsets.US_ASCII);
        byte[] data = signedParams(params);
        List<Set<String>> candidates = null;
        for (String token : authTokens) {
            if (token == null || token.isEmpty()) {
                continue;
            }
            for (String url : urls) {
                if (matches(expected, hmacSha1(token, url, data))) {
                    return true;
                }
            }
            candidates = candidates != null ? candidates : urls.stream().map(TwilioSignature::urlVariants).toList();
            for (int i = 0; i < urls.size(); i++) {
                for (String candidate : candidates.get(i)) {
                    if (!candidate.equals(urls.get(i)) && matches(expected, hmacSha1(token, candidate, data))) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private static boolean matches(byte[] expected, byte[] mac) {
        return MessageDigest.isEqual(expected, Base64.getEncoder().encode(mac));
    }

    /** Every parameter name followed by its value, names in order and each name's values in order, as UTF-8. */
    private static byte[] signedParams(Map<String, List<String>> params) {
        if (params.isEmpty()) {
            return new byte[0];
        }
        var data = new StringBuilder(64 * params.size());
        // String's natural order compares UTF-16 code units, as Twilio does.
        var sorted = params instanceof SortedMap<String, List<String>> map && map.comparator() == null
                ? map : new TreeMap<>(params);
        for (var entry : sorted.entrySet()) {
            List<String> values = entry.getValue();
            if (values.size() == 1) {
                data.append(entry.getKey()).append(values.get(0));
            } else {
                for (String value : new TreeSet<>(values)) {
                    data.append(entry.getKey()).append(value);
                }
            }
        }
        return data.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Whether a JSON-bodied request is authentic: its URL carries {@code bodySHA256}, the hex SHA-256 of the raw body,
     * and the signature covers that URL with no parameters.
     */
    public static boolean isValidJson(String signature, String url, String rawBody, Collection<String> authTokens) {
        return url != null && isValidJson(signature, List.of(url), rawBody, authTokens);
    }

    /** As {@link #isValidJson(String, String, String, Collection)}, for URLs that differ only in their fragment. */
    public static boolean isValidJson(String signature, List<String> urls, String rawBody,
            Collection<String> authTokens) {
        String declared = urls == null || urls.isEmpty() ? null : queryParameter(urls.get(0), BODY_SHA256);
        if (declared == null || rawBody == null) {
            return false;
        }
        byte[] actual = sha256Hex(rawBody).getBytes(StandardCharsets.US_ASCII);
        boolean bodyMatches = MessageDigest.isEqual(declared.toLowerCase().getBytes(StandardCharsets.US_ASCII), actual);
        return isValid(signature, urls, Map.of(), authTokens) && bodyMatches;
    }

    /** Lower-case hex SHA-256 of the UTF-8 body, as Twilio puts it in {@code bodySHA256}. */
    public static String sha256Hex(String body) {
        try {
            var digest = MessageDigest.getInstance("SHA-256").digest(body.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /** The URL as given, without its port, and with the default port of its scheme; no duplicates. */
    static Set<String> urlVariants(String url) {
        Set<String> variants = new LinkedHashSet<>();
        variants.add(url);
        int schemeEnd = url.indexOf("://");
        if (schemeEnd < 0) {
            return variants;
        }
        String scheme = url.substring(0, schemeEnd).toLowerCase();
        int authorityStart = schemeEnd + 3;
        int authorityEnd = indexOfAny(url, authorityStart, "/?#");
        String authority = url.substring(authorityStart, authorityEnd);
        int hostStart = authority.lastIndexOf('@') + 1;
        int portColon = authority.lastIndexOf(':');
        // A colon inside an IPv6 literal or in the user info is not a port separator.
        boolean hasPort = portColon >= hostStart && portColon > authority.lastIndexOf(']');
        String hostPart = hasPort ? authority.substring(0, portColon) : authority;
        String prefix = url.substring(0, authorityStart);
        String rest = url.substring(authorityEnd);
        variants.add(prefix + hostPart + rest);
        String defaultPort = switch (scheme) {
            case "https" -> "443";
            case "http" -> "80";
            default -> null;
        };
        if (!hasPort && defaultPort != null) {
            variants.add(prefix + hostPart + ":" + defaultPort + rest);
        }
        return variants;
    }

    private static int indexOfAny(String s, int from, String chars) {
        for (int i = from; i < s.length(); i++) {
            if (chars.indexOf(s.charAt(i)) >= 0) {
                return i;
            }
        }
        return s.length();
    }

    /** The raw (undecoded) value of a query parameter; a hex hash never needs decoding. */
    private static String queryParameter(String url, String name) {
        int query = url.indexOf('?');
        if (query < 0) {
            return null;
        }
        int fragment = url.indexOf('#', query);
        String q = url.substring(query + 1, fragment < 0 ? url.length() : fragment);
        List<String> found = new ArrayList<>();
        for (String pair : q.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && pair.substring(0, eq).equals(name)) {
                found.add(pair.substring(eq + 1));
            }
        }
        return found.size() == 1 ? found.get(0) : null;
    }

    /**
     * One HMAC-SHA1 engine per thread, keyed for the token it last used: looking up the algorithm costs more than using
     * it, and keying it (two SHA-1 blocks) as much again, while nearly every webhook a thread checks is signed with the
     * same token as the one before. A finished MAC is ready for the next message under the same key.
     */
    private static final ThreadLocal<KeyedMac> HMAC_SHA1 = ThreadLocal.withInitial(() -> {
        try {
            return new KeyedMac(Mac.getInstance("HmacSHA1"));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("HmacSHA1 is unavailable", e);
        }
    });

    /** A thread's MAC and the token it is keyed with (null before the first). */
    private static final class KeyedMac {

        private final Mac mac;
        private String key;

        KeyedMac(Mac mac) {
            this.mac = mac;
        }

        Mac keyedWith(String token) {
            if (!token.equals(key)) {
                try {
                    mac.init(new SecretKeySpec(token.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
                } catch (InvalidKeyException e) {
                    key = null;
                    throw new IllegalStateException("an HMAC key of any length is valid", e);
                }
                key = token;
            }
            return mac;
        }
    }

    private static byte[] hmacSha1(String key, String url, byte[] params) {
        Mac mac = HMAC_SHA1.get().keyedWith(key);
        mac.update(url.getBytes(StandardCharsets.UTF_8));
        return mac.doFinal(params);
    }
}
