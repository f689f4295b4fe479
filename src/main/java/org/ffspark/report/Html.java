package org.ffspark.report;

import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A self-contained HTML page being written: text is escaped where it enters, and every image is embedded as a data
 * URI and kept under its file name, so the caller can also save it beside the page.
 */
public final class Html {
    private static final String STYLE = "body{font-family:sans-serif;margin:2em;max-width:1100px}table{border-collapse:collapse}"
            + "td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}img{image-rendering:pixelated;margin:2px}"
            + ".grid td{text-align:center}";

    private final StringBuilder b = new StringBuilder();
    private final Map<String, byte[]> images = new LinkedHashMap<>();

    /** A page titled {@code title}. */
    public Html(String title) {
        b.append("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>").append(esc(title)).append("</title><style>")
                .append(STYLE).append("</style></head><body>");
    }

    /** Text with HTML's special characters escaped. */
    public static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    /** Appends {@code text}, escaped, inside {@code tag} (e.g. "h2", "p", "td"). */
    public Html el(String tag, String text) {
        b.append('<').append(tag).append('>').append(esc(text)).append("</").append(tag).append('>');
        return this;
    }

    /** Appends markup as it is (the caller's own tags; never data). */
    public Html raw(String markup) {
        b.append(markup);
        return this;
    }

    /** Appends a table row of header cell {@code th} and escaped data cells. */
    public Html row(String th, Object... cells) {
        b.append("<tr>");
        if (th != null) {
            el("th", th);
        }
        for (Object c : cells) {
            el("td", String.valueOf(c));
        }
        b.append("</tr>");
        return this;
    }

    /** Appends image {@code png} (kept as {@code name}) with alternative text {@code alt}. */
    public Html img(String name, byte[] png, String alt) {
        images.put(name, png);
        b.append("<img alt=\"").append(esc(alt)).append("\" src=\"data:image/png;base64,")
                .append(Base64.getEncoder().encodeToString(png)).append("\">");
        return this;
    }

    /** The finished page. */
    public String render() {
        return b + "</body></html>";
    }

    /** Every image of the page by file name, in order of appearance. */
    public Map<String, byte[]> images() {
        return images;
    }
}
