package io.switchboard.db;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.impl.Connection;
import io.vertx.sqlclient.impl.SocketConnectionBase;
import io.vertx.sqlclient.impl.SqlConnectionInternal;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Closes a connection on which nothing was sent or received for the response timeout, at the socket. Vert.x's own
 * idle timeout closes through the PostgreSQL codec, which only sends {@code Terminate} and waits for the server to
 * hang up: a server that stopped answering never does, and the statement on the connection would wait for ever. This
 * handler sits first in the pipeline, below the codec, so its close reaches the socket at once; the codec then fails
 * what was in flight and the pool drops the connection.
 * <p>
 * Reaching the pipeline takes the client's implementation classes ({@code io.vertx.sqlclient.impl}); the freeze test
 * fails should an upgrade change them.
 */
final class ResponseDeadline extends IdleStateHandler {

    private static final Logger LOG = Logger.getLogger(ResponseDeadline.class);
    static final String NAME = "switchboard-response-deadline";

    private final Duration deadline;

    private ResponseDeadline(Duration deadline) {
        super(0, 0, deadline.toMillis(), TimeUnit.MILLISECONDS);
        this.deadline = deadline;
    }

    /** Puts the deadline on an established connection; a connection of an unknown kind is left as it is. */
    static void install(SqlConnection connection, Duration deadline) {
        var pipeline = pipeline(connection);
        if (pipeline != null && pipeline.get(NAME) == null) {
            pipeline.addFirst(NAME, new ResponseDeadline(deadline));
        }
    }

    /** Closes the connection at the socket, now, without asking the server. */
    static void closeNow(SqlConnection connection) {
        var pipeline = pipeline(connection);
        if (pipeline == null) {
            connection.close();
        } else {
            pipeline.firstContext().close();
        }
    }

    @Override
    protected void channelIdle(ChannelHandlerContext ctx, IdleStateEvent event) {
        LOG.warnf("no answer from PostgreSQL (%s) within %d ms; closing the connection", ctx.channel().remoteAddress(),
                deadline.toMillis());
        ctx.close();
    }

    private static ChannelPipeline pipeline(SqlConnection connection) {
        if (connection instanceof SqlConnectionInternal internal) {
            Connection conn = internal.unwrap();
            while (!(conn instanceof SocketConnectionBase) && conn != null && conn.unwrap() != conn) {
                conn = conn.unwrap();
            }
            if (conn instanceof SocketConnectionBase socket) {
                return socket.socket().channelHandlerContext().pipeline();
            }
        }
        LOG.warnf("cannot bound the connection %s: not a socket connection", connection.getClass().getName());
        return null;
    }
}
