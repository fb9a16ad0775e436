package io.switchboard.support;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.jboss.logmanager.ExtLogRecord;

/** Captures every log line the service writes while it is open, formatted as it would be printed, with causes. */
public final class LogCapture extends Handler implements AutoCloseable {

    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final Logger root = Logger.getLogger("");

    private LogCapture() {
        setLevel(java.util.logging.Level.ALL);
    }

    public static LogCapture start() {
        var capture = new LogCapture();
        capture.root.addHandler(capture);
        return capture;
    }

    @Override
    public void publish(LogRecord record) {
        var text = new StringBuilder();
        String message = record instanceof ExtLogRecord ext ? ext.getFormattedMessage() : record.getMessage();
        text.append(record.getLoggerName()).append(' ').append(message);
        for (Throwable t = record.getThrown(); t != null; t = t.getCause()) {
            text.append(" | ").append(t);
        }
        lines.add(text.toString());
    }

    public List<String> lines() {
        return List.copyOf(lines);
    }

    public String all() {
        return String.join("\n", lines);
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        root.removeHandler(this);
    }

}
