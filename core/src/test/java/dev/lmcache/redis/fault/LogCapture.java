package dev.lmcache.redis.fault;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import ch.qos.logback.core.read.ListAppender;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.slf4j.LoggerFactory;

/**
 * Captures log events in memory for assertions: attaches a logback {@link ListAppender} to one
 * logger (or to the root) and lowers levels for the duration; {@link #close()} restores them.
 */
public final class LogCapture implements AutoCloseable {
    private final Logger attachedTo;
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    private final Map<Logger, Level> previousLevels = new LinkedHashMap<>();

    private LogCapture(Logger attachedTo, Level level, List<Logger> lowered) {
        this.attachedTo = attachedTo;
        for (Logger l : lowered) {
            previousLevels.put(l, l.getLevel());
            l.setLevel(level);
        }
        appender.setContext(attachedTo.getLoggerContext());
        appender.start();
        attachedTo.addAppender(appender);
    }

    /** Captures what {@code owner}'s logger (and loggers below it) logs at {@code level} or above. */
    public static LogCapture of(Class<?> owner, Level level) {
        Logger l = (Logger) LoggerFactory.getLogger(owner);
        return new LogCapture(l, level, List.of(l));
    }

    /** Captures what the named logger (and loggers below it) logs at {@code level} or above. */
    public static LogCapture of(String loggerName, Level level) {
        Logger l = (Logger) LoggerFactory.getLogger(loggerName);
        return new LogCapture(l, level, List.of(l));
    }

    /**
     * Captures everything every logger logs at {@code level} or above, including the libraries
     * underneath (Lettuce, Netty), whose configured levels are lowered meanwhile.
     */
    public static LogCapture everything(Level level) {
        LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
        List<Logger> lowered = new ArrayList<>();
        for (Logger l : ctx.getLoggerList()) {
            if (l.getLevel() != null) {
                lowered.add(l);
            }
        }
        return new LogCapture(ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME), level, lowered);
    }

    /** A snapshot of the events captured so far. */
    public List<ILoggingEvent> events() {
        // AppenderBase.doAppend holds the appender's lock while it adds to the list
        synchronized (appender) {
            return new ArrayList<>(appender.list);
        }
    }

    /** Events at exactly {@code level}. */
    public List<ILoggingEvent> at(Level level) {
        return events().stream().filter(e -> e.getLevel() == level).collect(Collectors.toList());
    }

    /** Formatted messages of the events at {@code level}. */
    public List<String> messages(Level level) {
        return at(level).stream().map(ILoggingEvent::getFormattedMessage).collect(Collectors.toList());
    }

    /**
     * Everything an appender could print: logger, message, arguments, MDC, and every throwable in
     * the chain with its message and stack frames.
     */
    public String fullText() {
        StringBuilder sb = new StringBuilder();
        for (ILoggingEvent e : events()) {
            sb.append(e.getLevel()).append(' ').append(e.getLoggerName()).append(" - ")
                    .append(e.getFormattedMessage()).append('\n');
            if (e.getArgumentArray() != null) {
                for (Object a : e.getArgumentArray()) {
                    sb.append("  arg: ").append(a).append('\n');
                }
            }
            e.getMDCPropertyMap().forEach((k, v) -> sb.append("  mdc: ").append(k).append('=').append(v).append('\n'));
            appendThrowable(sb, e.getThrowableProxy());
        }
        return sb.toString();
    }

    private static void appendThrowable(StringBuilder sb, IThrowableProxy t) {
        for (int depth = 0; t != null && depth < 20; depth++, t = t.getCause()) {
            sb.append("  caused: ").append(t.getClassName()).append(": ").append(t.getMessage()).append('\n');
            for (StackTraceElementProxy f : t.getStackTraceElementProxyArray()) {
                sb.append("    ").append(f.getSTEAsString()).append('\n');
            }
            for (IThrowableProxy s : t.getSuppressed()) {
                appendThrowable(sb, s);
            }
        }
    }

    @Override
    public void close() {
        attachedTo.detachAppender(appender);
        appender.stop();
        previousLevels.forEach(Logger::setLevel);
    }
}
