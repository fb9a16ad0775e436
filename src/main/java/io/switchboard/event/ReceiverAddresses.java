package io.switchboard.event;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;

/**
 * Which receivers the service may call: {@code https://} URLs whose host resolves only to public addresses. Refusing
 * loopback, private, link-local, shared (carrier-grade NAT), documentation, multicast and reserved addresses keeps an
 * organization from making the service call its own internal network (server-side request forgery). Checked when a
 * subscription is written and again before every attempt, since what a name resolves to can change.
 */
final class ReceiverAddresses {

    static final int MAX_URL_LENGTH = 2048;

    private ReceiverAddresses() {
    }

    /** What is wrong with the URL itself (before any name is resolved), or empty. */
    static Optional<String> checkUrl(String url, boolean allowInsecure) {
        if (url == null || url.isBlank()) {
            return Optional.of("is required");
        }
        if (url.length() > MAX_URL_LENGTH) {
            return Optional.of("must be at most " + MAX_URL_LENGTH + " characters");
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            return Optional.of("must be an absolute https:// URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!uri.isAbsolute() || uri.getHost() == null || uri.getHost().isEmpty()) {
            return Optional.of("must be an absolute https:// URL");
        }
        if (!scheme.equals("https") && !(allowInsecure && scheme.equals("http"))) {
            return Optional.of("must be an https:// URL");
        }
        if (uri.getRawUserInfo() != null) {
            return Optional.of("must not carry a user name or password");
        }
        if (uri.getRawFragment() != null) {
            return Optional.of("must not carry a fragment");
        }
        return Optional.empty();
    }

    /** Whether an address is one the service may call when insecure receivers are not allowed. */
    static boolean isPublic(InetAddress address) {
        if (address.isAnyLocalAddress() || address.isLoopbackAddress() || address.isLinkLocalAddress()
                || address.isSiteLocalAddress() || address.isMulticastAddress()) {
            return false;
        }
        byte[] b = address.getAddress();
        if (address instanceof Inet4Address) {
            return isPublicV4(b);
        }
        if (address instanceof Inet6Address) {
            int first = b[0] & 0xff;
            // fc00::/7 unique local; fec0::/10 site-local is covered above.
            if ((first & 0xfe) == 0xfc) {
                return false;
            }
            // 2001:db8::/32 documentation.
            if (first == 0x20 && (b[1] & 0xff) == 0x01 && (b[2] & 0xff) == 0x0d && (b[3] & 0xff) == 0xb8) {
                return false;
            }
            // An IPv4 address inside IPv6: ::ffff:a.b.c.d (mapped), ::a.b.c.d (compatible), 64:ff9b::/96 (NAT64),
            // 2002::/16 (6to4) carry a v4 address the packet may end up at.
            if (allZero(b, 0, 10) && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff
                    || allZero(b, 0, 12)) {
                return isPublicV4(slice(b, 12));
            }
            if ((b[0] & 0xff) == 0x00 && (b[1] & 0xff) == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b
                    && allZero(b, 4, 12)) {
                return isPublicV4(slice(b, 12));
            }
            if (first == 0x20 && (b[1] & 0xff) == 0x02) {
                return isPublicV4(slice(b, 2));
            }
            return true;
        }
        return false;
    }

    private static boolean isPublicV4(byte[] b) {
        int a = b[0] & 0xff;
        int c = b[1] & 0xff;
        int third = b[2] & 0xff;
        return !(a == 0 // this network
                || a == 10 // private
                || a == 127 // loopback
                || (a == 100 && c >= 64 && c <= 127) // shared address space (carrier-grade NAT)
                || (a == 169 && c == 254) // link-local, cloud metadata
                || (a == 172 && c >= 16 && c <= 31) // private
                || (a == 192 && c == 0 && third == 0) // IETF protocol assignments
                || (a == 192 && c == 0 && third == 2) // documentation
                || (a == 192 && c == 168) // private
                || (a == 198 && (c == 18 || c == 19)) // benchmarking
                || (a == 198 && c == 51 && third == 100) // documentation
                || (a == 203 && c == 0 && third == 113) // documentation
                || a >= 224); // multicast, reserved, broadcast
    }

    private static boolean allZero(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private static byte[] slice(byte[] b, int from) {
        return new byte[] { b[from], b[from + 1], b[from + 2], b[from + 3] };
    }
}
