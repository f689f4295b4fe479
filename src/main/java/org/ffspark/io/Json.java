package org.ffspark.io;

import java.io.IOException;
import java.io.UncheckedIOException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The project's JSON settings: pretty, stable field order. */
public final class Json {
    public static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Json() {}

    public static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

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

    public static JsonNode parse(byte[] bytes, String file) {
        try {
            return MAPPER.readTree(bytes);
        } catch (IOException e) {
            throw new org.ffspark.data.InputDataException(file, "not valid JSON (" + e.getMessage().split("\n")[0] + ")", e);
        }
    }

    /** Requires {@code d.format == format} and {@code d.formatVersion == version}; else a bad-input error naming {@code file}. */
    public static void requireFormat(JsonNode d, String file, String format, int version) {
        if (!format.equals(d.path("format").asText())) {
            throw new org.ffspark.data.InputDataException(file, "format is '" + d.path("format").asText() + "', expected '" + format + "'");
        }
        if (d.path("formatVersion").asInt(-1) != version) {
            throw new org.ffspark.data.InputDataException(file, "formatVersion " + d.path("formatVersion")
                    + " is not supported by this ffspark (reads version " + version + ")");
        }
    }
}
