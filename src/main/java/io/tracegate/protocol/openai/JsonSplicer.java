package io.tracegate.protocol.openai;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.io.ByteArrayOutputStream;
import java.util.List;

/**
 * Applies {@link TopLevelEdit}s to a request body without re-serialising it: every byte outside
 * the edited members (unknown fields, their order, whitespace, escapes) is copied unchanged.
 *
 * <p>Edits are applied in list order on a per-key basis: for each key the last edit in the list
 * wins. Inserted members are placed right after the opening brace, in list order.
 */
public final class JsonSplicer {

    private JsonSplicer() {
    }

    /**
     * Parses {@code body} with {@link RequestPeek} and applies {@code edits}.
     *
     * @throws MalformedRequestException when the body is not one JSON object
     */
    public static byte[] apply(byte[] body, List<? extends TopLevelEdit> edits) {
        return apply(body, RequestPeek.parse(body), edits);
    }

    /**
     * Applies {@code edits} to {@code body}, which {@code peek} must describe (from
     * {@link RequestPeek#parse(byte[])} of this exact array).
     */
    public static byte[] apply(byte[] body, RequestPeek peek, List<? extends TopLevelEdit> edits) {
        if (edits.isEmpty()) {
            return body.clone();
        }
        List<RequestPeek.Member> members = peek.members();
        int extra = 0;
        for (TopLevelEdit edit : edits) {
            if (edit instanceof TopLevelEdit.SetField set) {
                extra += set.key().length() + set.rawValue().length + 8; // quotes, colon, comma, escapes
            }
        }
        // sized so the common case (a few inserted or replaced members) never grows the buffer
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.length + extra);
        int afterBrace = peek.objectStart() + 1;
        out.write(body, 0, afterBrace);

        // Inserts: keys set by an edit that is the last one for its key and absent from the body.
        boolean anyKept = false;
        for (RequestPeek.Member m : members) {
            if (!(finalEdit(edits, m.name()) instanceof TopLevelEdit.RemoveField)) {
                anyKept = true;
                break;
            }
        }
        boolean wroteInsert = false;
        for (int i = 0; i < edits.size(); i++) {
            TopLevelEdit e = edits.get(i);
            if (e instanceof TopLevelEdit.SetField s && lastIndexFor(edits, s.key()) == i && peek.member(s.key()) == null) {
                if (wroteInsert) {
                    out.write(',');
                }
                out.writeBytes(quote(s.key()));
                out.write(':');
                out.writeBytes(s.rawValue());
                wroteInsert = true;
            }
        }
        if (wroteInsert && anyKept) {
            out.write(',');
        }
        if (members.isEmpty()) {
            out.write(body, afterBrace, body.length - afterBrace);
            return out.toByteArray();
        }

        RequestPeek.Member first = members.get(0);
        out.write(body, afterBrace, first.keyStart() - afterBrace);
        boolean wroteMember = false;
        for (int i = 0; i < members.size(); i++) {
            RequestPeek.Member m = members.get(i);
            TopLevelEdit e = finalEdit(edits, m.name());
            if (e instanceof TopLevelEdit.RemoveField) {
                continue;
            }
            if (wroteMember) {
                // the original separator before this member (whitespace, ',', whitespace)
                RequestPeek.Member prev = members.get(i - 1);
                out.write(body, prev.valueEnd(), m.keyStart() - prev.valueEnd());
            }
            out.write(body, m.keyStart(), m.valueStart() - m.keyStart());
            if (e instanceof TopLevelEdit.SetField s) {
                out.writeBytes(s.rawValue());
            } else {
                out.write(body, m.valueStart(), m.valueEnd() - m.valueStart());
            }
            wroteMember = true;
        }
        int tail = members.get(members.size() - 1).valueEnd();
        out.write(body, tail, body.length - tail);
        return out.toByteArray();
    }

    /** {@code value} as a quoted, escaped JSON string in UTF-8. */
    public static byte[] quote(String value) {
        byte[] escaped = JsonStringEncoder.getInstance().quoteAsUTF8(value);
        byte[] out = new byte[escaped.length + 2];
        out[0] = '"';
        System.arraycopy(escaped, 0, out, 1, escaped.length);
        out[out.length - 1] = '"';
        return out;
    }

    private static TopLevelEdit finalEdit(List<? extends TopLevelEdit> edits, String key) {
        int i = lastIndexFor(edits, key);
        return i < 0 ? null : edits.get(i);
    }

    private static int lastIndexFor(List<? extends TopLevelEdit> edits, String key) {
        for (int i = edits.size() - 1; i >= 0; i--) {
            if (edits.get(i).key().equals(key)) {
                return i;
            }
        }
        return -1;
    }
}
