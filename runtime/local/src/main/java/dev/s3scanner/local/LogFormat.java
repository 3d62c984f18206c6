package dev.s3scanner.local;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import ch.qos.logback.core.joran.util.ConfigurationWatchListUtil;
import java.net.URL;
import org.slf4j.LoggerFactory;

/** How the {@code scanner} command writes its log lines to standard error. */
public enum LogFormat {
    /** Human-readable lines (default). */
    text,
    /** One JSON object per line (logstash-logback-encoder), with {@code job_id} and {@code key} fields. */
    json;

    /** Environment variable (and system property) naming the format; the command-line option overrides it. */
    public static final String VARIABLE = "SCANNER_LOG_FORMAT";
    /** The command's logback configuration, a class-path resource. */
    public static final String CONFIGURATION = "s3scanner-local-logback.xml";

    /** The format the logging configuration reads: the system property, else the environment, else text. */
    static String configured() {
        String p = System.getProperty(VARIABLE);
        if (p != null) {
            return p;
        }
        String env = System.getenv(VARIABLE);
        return env == null || env.isBlank() ? text.name() : env.trim();
    }

    /**
     * Makes this the format of the log lines from now on. When logging was configured from
     * {@value #CONFIGURATION} with another format, or from another file (a test's) and JSON is
     * asked for, sets {@value #VARIABLE} as a system property and reads {@value #CONFIGURATION}
     * again; otherwise it changes nothing.
     *
     * @throws IllegalStateException when the configuration cannot be read
     */
    public void apply() {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return; // another SLF4J binding: nothing to configure
        }
        URL main = ConfigurationWatchListUtil.getMainWatchURL(context);
        boolean ours = main != null && main.toString().endsWith(CONFIGURATION);
        if (ours ? name().equalsIgnoreCase(configured()) : this == text) {
            return;
        }
        System.setProperty(VARIABLE, name());
        URL resource = LogFormat.class.getClassLoader().getResource(CONFIGURATION);
        if (resource == null) {
            throw new IllegalStateException(CONFIGURATION + " is not on the class path");
        }
        context.reset();
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        try {
            configurator.doConfigure(resource);
        } catch (JoranException e) {
            throw new IllegalStateException("cannot read " + CONFIGURATION + ": " + e.getMessage(), e);
        }
    }
}
