package io.switchboard.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which receivers the service calls: https only, and never an address of an internal network. */
class ReceiverAddressesTest {

    @Test
    void onlyPublicAddressesAreCalled() throws Exception {
        for (String address : List.of("8.8.8.8", "1.1.1.1", "52.0.0.1", "2606:4700:4700::1111", "2a00:1450::1")) {
            assertThat(ReceiverAddresses.isPublic(InetAddress.getByName(address))).as(address).isTrue();
        }
        for (String address : List.of("127.0.0.1", "127.1.2.3", "10.1.2.3", "172.16.0.1", "172.31.255.255",
                "192.168.1.1", "169.254.169.254", "100.64.0.1", "0.0.0.0", "192.0.0.8", "192.0.2.1", "198.18.0.1",
                "198.51.100.7", "203.0.113.9", "224.0.0.1", "240.0.0.1", "255.255.255.255", "::1", "::",
                "fe80::1", "fc00::1", "fd12:3456::1", "fec0::1", "ff02::1", "2001:db8::1", "::ffff:127.0.0.1",
                "::ffff:10.0.0.1", "::127.0.0.1", "64:ff9b::a9fe:a9fe", "2002:7f00:1::1", "2002:c0a8:101::1")) {
            assertThat(ReceiverAddresses.isPublic(InetAddress.getByName(address))).as(address).isFalse();
        }
    }

    @Test
    void aUrlMustBeHttpsWithAHostAndNothingHidden() {
        assertThat(ReceiverAddresses.checkUrl("https://hooks.example.com/a?b=c", false)).isEmpty();
        assertThat(ReceiverAddresses.checkUrl("http://hooks.example.com/", false)).contains("must be an https:// URL");
        assertThat(ReceiverAddresses.checkUrl("http://hooks.example.com/", true)).isEmpty();
        assertThat(ReceiverAddresses.checkUrl("ftp://hooks.example.com/", true)).isPresent();
        assertThat(ReceiverAddresses.checkUrl("https:///path", false)).isPresent();
        assertThat(ReceiverAddresses.checkUrl("/relative", false)).isPresent();
        assertThat(ReceiverAddresses.checkUrl("https://u:p@hooks.example.com/", false)).isPresent();
        assertThat(ReceiverAddresses.checkUrl("https://hooks.example.com/#x", false)).isPresent();
        assertThat(ReceiverAddresses.checkUrl("https://hooks.example.com/" + "a".repeat(2048), false)).isPresent();
        assertThat(ReceiverAddresses.checkUrl(" ", false)).contains("is required");
    }

    @Test
    void aHostNameResolvingToLoopbackIsRefusedUnlessInsecureReceiversAreAllowed() {
        var secure = new Receivers(false, Duration.ofSeconds(5));
        var insecure = new Receivers(true, Duration.ofSeconds(5));
        try {
            assertThatThrownBy(
                    () -> secure.resolve("https://localhost:8443/hooks").await().atMost(Duration.ofSeconds(10)))
                    .isInstanceOf(Receivers.Refused.class)
                    .hasMessageContaining("private, loopback, link-local or reserved");
            assertThatThrownBy(() -> secure.resolve("https://[::1]/hooks").await().atMost(Duration.ofSeconds(10)))
                    .isInstanceOf(Receivers.Refused.class);
            assertThatThrownBy(() -> secure.resolve("https://169.254.169.254/latest").await()
                    .atMost(Duration.ofSeconds(10))).isInstanceOf(Receivers.Refused.class);
            assertThatThrownBy(() -> secure.resolve("https://no-such-host.invalid/").await()
                    .atMost(Duration.ofSeconds(10))).isInstanceOf(Receivers.Refused.class)
                    .hasMessageContaining("does not resolve");
            var local = insecure.resolve("http://localhost:8080/hooks").await().atMost(Duration.ofSeconds(10));
            assertThat(local.address().isLoopbackAddress()).isTrue();
        } finally {
            secure.close();
            insecure.close();
        }
    }
}
