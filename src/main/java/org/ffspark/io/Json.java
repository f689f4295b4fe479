package org.ffspark.io;

import java.io.IOException;
import java.io.UncheckedIOException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/** The project's JSON settings (pretty, fields in record-component order) and typed reading of its formats. */
public final class Json {
    public static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Json() {}

    public static byte[] bytes(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One-line form, for JSON-lines files. */
    public static String line(Object value) {
        try {
            return MAPPER.copy().disable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads {@code bytes} as a {@code type} record; malformed JSON or a wrong field type is a bad-input error naming {@code file}. */
    public static <T> T read(byte[] bytes, Class<T> type, String file) {
        try {
            return READER.readValue(bytes, type);
        } catch (IOException e) {
            throw new org.ffspark.data.InputDataException(file, "not a valid " + type.getSimpleName() + " ("
                    + e.getMessage().split("\n")[0] + ")", e);
        }
    }

    /** Reading ignores fields it does not know (written by a later version). */
    private static final ObjectMapper READER = MAPPER.copy()
            .disable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    public static JsonNode parse(byte[] bytes, String file) {
        try {
            return MAPPER.readTree(bytes);
        } catch (IOException e) {
            throw new org.ffspark.data.InputDataException(file, "not valid JSON (" + e.getMessage().split("\n")[0] + ")", e);
        }
    }

    /** Requires {@code d.format == format} and {@code d.formatVersion == version}; else a bad-input error naming {@code file}. */
    public static void requireFormat(JsonNode d, String file, String format, int version) {
        requireFormat(d.path("format").asText(), d.path("formatVersion").asInt(-1), file, format, version);
    }

    /** Requires {@code found == format} and {@code foundVersion == version}; else a bad-input error naming {@code file}. */
    public static void requireFormat(String found, int foundVersion, String file, String format, int version) {
        if (!format.equals(found == null ? "" : found)) {
            throw new org.ffspark.data.InputDataException(file, "format is '" + (found == null ? "" : found) + "', expected '" + format + "'");
        }
        if (foundVersion != version) {
            throw new org.ffspark.data.InputDataException(file, "formatVersion " + foundVersion
                    + " is not supported by this ffspark (reads version " + version + ")");
        }
    }
}
