package io.switchboard.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.switchboard.support.SimAccount;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * How a feed watches its listening connection, against the real database: its heartbeats come back while all is
 * well; a connection that stays up but hears nothing is replaced and everything reloaded, before the response deadline
 * would have closed it; and everything is reloaded periodically as a backstop.
 */
@QuarkusTest
class ChangeFeedTest {

    private static final String CHANNEL = "feed_test";

    @Inject
    ChangeFeeds feeds;
    @Inject
    Pool pool;
    @Inject
    Vertx vertx;

    private final AtomicInteger fullReloads = new AtomicInteger();
    private final AtomicReference<ChangeFeed> feed = new AtomicReference<>();
    private String database;

    @AfterEach
    void stop() {
        if (feed.get() != null) {
            feed.get().stop();
        }
        if (database != null) {
            pool.query("drop database " + database + " with (force)").execute().await().atMost(Duration.ofSeconds(10));
        }
    }

    @Test
    void aFeedWhoseHeartbeatsComeBackStaysOnItsConnection() {
        start(feeds.open(feeds.listenOn(), pool, CHANNEL, this::reloadAll, change -> null));
        await().atMost(Duration.ofSeconds(5)).until(() -> fullReloads.get() == 1 && feed.get().isListening());

        // Several heartbeats, each heard back in time.
        Duration span = feeds.timing().heartbeatTimeout().multipliedBy(2);
        await().pollDelay(span).atMost(span.plusSeconds(2)).until(() -> true);
        assertThat(feed.get().heartbeatsMissed()).isZero();
        assertThat(feed.get().isListening()).isTrue();
        assertThat(fullReloads.get()).isEqualTo(1);
    }

    /**
     * The listening connection goes to another database: it is up and answers, but NOTIFY does not cross databases,
     * so the heartbeats sent through the pool never reach it, as behind a pooler that hands LISTEN to another
     * backend.
     */
    @Test
    void aConnectionThatHearsNothingIsReplacedAndEverythingReloadedBeforeTheResponseDeadline() {
        database = "feed_test_" + SimAccount.hex(6);
        pool.query("create database " + database).execute().await().atMost(Duration.ofSeconds(10));
        var deaf = feeds.listenOn();
        deaf.setDatabase(database);
        long started = System.nanoTime();
        start(feeds.open(deaf, pool, CHANNEL, this::reloadAll, change -> null));
        await().atMost(Duration.ofSeconds(5)).until(() -> fullReloads.get() == 1);

        await().atMost(feeds.timing().responseTimeout()).pollInterval(Duration.ofMillis(20))
                .until(() -> feed.get().heartbeatsMissed() >= 1);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(feeds.timing().responseTimeout());
        // Reconnected, and the subscription reloaded everything: a change it may have missed is in.
        await().atMost(Duration.ofSeconds(5)).until(() -> fullReloads.get() >= 2);
    }

    @Test
    void everythingIsReloadedPeriodicallyWhileListening() {
        var timing = feeds.timing();
        var periodic = new ChangeFeed.Timing(timing.heartbeatInterval(), timing.heartbeatTimeout(),
                timing.responseTimeout(), Duration.ofMillis(500));
        start(new ChangeFeed(vertx, feeds.listenOn(), pool, periodic, CHANNEL, this::reloadAll, change -> null));
        await().atMost(Duration.ofSeconds(5)).until(() -> fullReloads.get() >= 4);
        assertThat(feed.get().heartbeatsMissed()).isZero();
    }

    private void start(ChangeFeed opened) {
        feed.set(opened);
        opened.start().await().atMost(Duration.ofSeconds(5));
    }

    private Uni<Void> reloadAll() {
        return Uni.createFrom().voidItem().invoke(() -> {
            fullReloads.incrementAndGet();
            feed.get().loadedInFull();
        });
    }
}
