package org.ffspark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Checks a JSON document against a schema in {@code data-schemas/}: the subset of JSON Schema those files use
 * (type, required, properties, additionalProperties=false, items, enum, const, minimum, maximum, minItems,
 * maxItems, pattern, oneOf, not). Returns the list of violations, each with its JSON path.
 */
public final class SchemaCheck {
    private static final ObjectMapper M = new ObjectMapper();

    private SchemaCheck() {}

    public static JsonNode schema(String name) {
        try {
            return M.readTree(Files.readAllBytes(TestData.projectDir().resolve("data-schemas").resolve(name)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static JsonNode json(Path file) {
        try {
            return M.readTree(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static List<String> violations(JsonNode schema, JsonNode doc) {
        List<String> out = new ArrayList<>();
        check(schema, doc, "$", out);
        return out;
    }

    private static void check(JsonNode s, JsonNode d, String path, List<String> out) {
        if (s.has("type")) {
            List<String> types = new ArrayList<>();
            if (s.get("type").isArray()) {
                s.get("type").forEach(t -> types.add(t.asText()));
            } else {
                types.add(s.get("type").asText());
            }
            if (types.stream().noneMatch(t -> matches(t, d))) {
                out.add(path + ": expected " + types + ", found " + d.getNodeType());
                return;
            }
        }
        if (s.has("const") && !s.get("const").equals(d)) {
            out.add(path + ": expected " + s.get("const") + ", found " + d);
        }
        if (s.has("enum")) {
            boolean any = false;
            for (JsonNode e : s.get("enum")) {
                any |= e.equals(d);
            }
            if (!any) {
                out.add(path + ": " + d + " not in " + s.get("enum"));
            }
        }
        if (s.has("oneOf")) {
            int valid = 0;
            for (JsonNode alt : s.get("oneOf")) {
                valid += violations(alt, d).isEmpty() ? 1 : 0;
            }
            if (valid != 1) {
                out.add(path + ": matches " + valid + " of the oneOf alternatives, expected exactly 1");
            }
        }
        if (s.has("not") && violations(s.get("not"), d).isEmpty()) {
            out.add(path + ": matches the schema under 'not'");
        }
        if (s.has("minimum") && d.isNumber() && d.asDouble() < s.get("minimum").asDouble()) {
            out.add(path + ": " + d + " < minimum " + s.get("minimum"));
        }
        if (s.has("maximum") && d.isNumber() && d.asDouble() > s.get("maximum").asDouble()) {
            out.add(path + ": " + d + " > maximum " + s.get("maximum"));
        }
        if (s.has("pattern") && d.isTextual() && !d.asText().matches(s.get("pattern").asText())) {
            out.add(path + ": '" + d.asText() + "' does not match " + s.get("pattern").asText());
        }
        if (d.isObject()) {
            for (JsonNode r : s.path("required")) {
                if (!d.has(r.asText())) {
                    out.add(path + ": missing required field '" + r.asText() + "'");
                }
            }
            JsonNode props = s.path("properties");
            for (Iterator<Map.Entry<String, JsonNode>> it = d.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                if (props.has(f.getKey())) {
                    check(props.get(f.getKey()), f.getValue(), path + "." + f.getKey(), out);
                } else if (s.has("additionalProperties")) {
                    JsonNode ap = s.get("additionalProperties");
                    if (ap.isBoolean() && !ap.asBoolean()) {
                        out.add(path + ": unexpected field '" + f.getKey() + "'");
                    } else if (ap.isObject()) {
                        check(ap, f.getValue(), path + "." + f.getKey(), out);
                    }
                }
            }
        }
        if (d.isArray()) {
            if (s.has("minItems") && d.size() < s.get("minItems").asInt()) {
                out.add(path + ": " + d.size() + " items < minItems " + s.get("minItems"));
            }
            if (s.has("maxItems") && d.size() > s.get("maxItems").asInt()) {
                out.add(path + ": " + d.size() + " items > maxItems " + s.get("maxItems"));
            }
            if (s.has("items")) {
                for (int i = 0; i < d.size(); i++) {
                    check(s.get("items"), d.get(i), path + "[" + i + "]", out);
                }
            }
        }
    }

    private static boolean matches(String type, JsonNode d) {
        return switch (type) {
            case "object" -> d.isObject();
            case "array" -> d.isArray();
            case "string" -> d.isTextual();
            case "integer" -> d.isIntegralNumber();
            case "number" -> d.isNumber();
            case "boolean" -> d.isBoolean();
            case "null" -> d.isNull();
            default -> throw new IllegalArgumentException("schema type " + type);
        };
    }
}
