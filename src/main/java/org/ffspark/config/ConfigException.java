package org.ffspark.config;

/**
 * A configuration value that ffspark will not honour. The message names the source (file or flag), the key,
 * the value found and what is allowed; the CLI prints it as one line and exits with code 2.
 */
public final class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }

    /** Throws {@code ConfigException("key = value: rule")} unless {@code ok}. */
    public static void require(boolean ok, String key, Object value, String rule) {
        if (!ok) {
            throw new ConfigException(key + " = " + value + ": " + rule);
        }
    }
}
