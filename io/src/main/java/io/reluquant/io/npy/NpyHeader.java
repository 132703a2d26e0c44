package io.reluquant.io.npy;

import java.nio.ByteOrder;
import java.util.LinkedHashMap;
import java.util.Map;

/** The .npy header: magic, limits, the header dict and its parser, and the text helpers of error messages. */
final class NpyHeader {
    static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};

    /** Largest header accepted: numpy writes about a hundred bytes; a huge one is corruption. */
    static final int MAX_HEADER = 1 << 20;
    /** Most elements one array may hold: Java arrays are int-indexed. */
    static final long MAX_ELEMENTS = Integer.MAX_VALUE - 8;
    /** Longest unicode element accepted, in characters. */
    static final int MAX_CHARS = 1 << 16;
    /** Bytes read or written per chunk: the only buffer besides the array itself. */
    static final int CHUNK = 1 << 16;

    private NpyHeader() {}

    static boolean startsWithMagic(byte[] bytes) {
        for (int i = 0; i < MAGIC.length; i++) {
            if (bytes[i] != MAGIC[i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * Text from a file made safe for a one-line message: control characters (a newline in a
     * corrupt header, say) shown by their code, at most 200 characters.
     */
    public static String printable(String text) {
        if (text == null) {
            return "null";
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < text.length() && sb.length() < 200; i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c == 0x7f || Character.isISOControl(c) || c == 0x2028 || c == 0x2029) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.length() < text.length() ? sb + "..." : sb.toString();
    }

    static String shapeText(int[] shape) {
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            sb.append(shape[i]);
            if (shape.length == 1 || i < shape.length - 1) {
                sb.append(shape.length == 1 ? "," : ", ");
            }
        }
        return sb.append(')').toString();
    }

    /** The parsed header dict. */
    static final class Header {
        String descr;
        DType dtype;
        ByteOrder order;
        int chars;
        boolean fortranOrder;
        int[] shape;

        static Header parse(String text, String source) throws NpyFormatException {
            Map<String, Object> dict = new HeaderParser(text, source).dict();
            for (String key : new String[] {"descr", "fortran_order", "shape"}) {
                if (!dict.containsKey(key)) {
                    throw new NpyFormatException(source + ": header has no '" + key + "' key");
                }
            }
            if (dict.size() != 3) {
                throw new NpyFormatException(source + ": header has unexpected keys " + printable(dict.keySet().toString()));
            }
            Header h = new Header();
            Object descr = dict.get("descr");
            if (!(descr instanceof String)) {
                throw new NpyFormatException(source + ": structured dtype " + printable(String.valueOf(descr)) + " is not supported (only plain numeric and unicode arrays)");
            }
            h.descr = (String) descr;
            h.parseDescr(source);
            Object fortran = dict.get("fortran_order");
            if (!(fortran instanceof Boolean)) {
                throw new NpyFormatException(source + ": fortran_order must be True or False, got " + printable(String.valueOf(fortran)));
            }
            h.fortranOrder = (Boolean) fortran;
            Object shape = dict.get("shape");
            if (!(shape instanceof int[])) {
                throw new NpyFormatException(source + ": shape must be a tuple of integers, got " + printable(String.valueOf(shape)));
            }
            h.shape = (int[]) shape;
            return h;
        }

        private void parseDescr(String source) throws NpyFormatException {
            String d = descr;
            if (d.length() < 2) {
                throw new NpyFormatException(source + ": unsupported dtype '" + printable(d) + "'");
            }
            char orderChar = d.charAt(0);
            String rest = d;
            if (orderChar == '<' || orderChar == '>' || orderChar == '|' || orderChar == '=') {
                rest = d.substring(1);
            } else {
                orderChar = '=';
            }
            order = orderChar == '>' ? ByteOrder.BIG_ENDIAN : orderChar == '<' ? ByteOrder.LITTLE_ENDIAN : ByteOrder.nativeOrder();
            char kind = rest.charAt(0);
            int size;
            try {
                size = Integer.parseInt(rest.substring(1));
            } catch (NumberFormatException e) {
                throw new NpyFormatException(source + ": unsupported dtype '" + printable(d) + "'");
            }
            dtype = DType.of(kind, size);
            if (dtype == null || size <= 0) {
                throw new NpyFormatException(source + ": unsupported dtype '" + printable(d)
                        + "' (supported: float32/64, int8..64, uint8..64, bool, unicode)");
            }
            chars = dtype == DType.UNICODE ? size : 0;
        }
    }

    /** Parser for the Python literal subset numpy writes: a dict of str keys to str, bool and int tuples. */
    static final class HeaderParser {
        private final String s;
        private final String source;
        private int p;

        HeaderParser(String s, String source) {
            this.s = s;
            this.source = source;
        }

        Map<String, Object> dict() throws NpyFormatException {
            skip();
            expect('{');
            Map<String, Object> out = new LinkedHashMap<>();
            skip();
            while (peek() != '}') {
                Object key = value();
                if (!(key instanceof String)) {
                    throw error("dict key must be a string");
                }
                skip();
                expect(':');
                out.put((String) key, value());
                skip();
                if (peek() == ',') {
                    p++;
                    skip();
                } else if (peek() != '}') {
                    throw error("expected ',' or '}'");
                }
            }
            p++;
            skip();
            if (p != s.length()) {
                throw error("unexpected text after the header dict");
            }
            return out;
        }

        private Object value() throws NpyFormatException {
            skip();
            char c = peek();
            if (c == '\'' || c == '"') {
                int end = s.indexOf(c, p + 1);
                if (end < 0) {
                    throw error("unterminated string");
                }
                String v = s.substring(p + 1, end);
                p = end + 1;
                return v;
            }
            if (s.startsWith("True", p)) {
                p += 4;
                return Boolean.TRUE;
            }
            if (s.startsWith("False", p)) {
                p += 5;
                return Boolean.FALSE;
            }
            if (c == '(') {
                p++;
                java.util.List<Integer> dims = new java.util.ArrayList<>();
                skip();
                while (peek() != ')') {
                    int start = p;
                    while (p < s.length() && Character.isDigit(s.charAt(p))) {
                        p++;
                    }
                    if (start == p) {
                        throw error("shape entries must be non-negative integers");
                    }
                    String digits = s.substring(start, p);
                    int nonzero = 0;
                    while (nonzero < digits.length() - 1 && digits.charAt(nonzero) == '0') {
                        nonzero++;
                    }
                    digits = digits.substring(nonzero);
                    if (digits.length() > 18 || Long.parseLong(digits) > MAX_ELEMENTS) {
                        // a valid header (numpy writes such arrays), but not one a Java array can hold
                        throw new NpyFormatException(source + ": shape entry " + printable(digits) + " has more elements than a Java array "
                                + "holds; reluquant reads arrays of up to " + MAX_ELEMENTS + " values");
                    }
                    long v = Long.parseLong(digits);
                    if (peek() == 'L') {
                        p++; // Python 2 long suffix, written by old numpy
                    }
                    dims.add((int) v);
                    skip();
                    if (peek() == ',') {
                        p++;
                        skip();
                    } else if (peek() != ')') {
                        throw error("expected ',' or ')' in shape");
                    }
                }
                p++;
                int[] shape = new int[dims.size()];
                for (int i = 0; i < shape.length; i++) {
                    shape[i] = dims.get(i);
                }
                return shape;
            }
            if (c == '[') {
                // a structured dtype's field list: report it as such rather than as a syntax error
                int depth = 0;
                int start = p;
                do {
                    char ch = peek();
                    depth += ch == '[' ? 1 : ch == ']' ? -1 : 0;
                    p++;
                } while (depth > 0 && p < s.length());
                return java.util.List.of(s.substring(start, p));
            }
            throw error("unsupported value");
        }

        private void skip() {
            while (p < s.length() && Character.isWhitespace(s.charAt(p))) {
                p++;
            }
        }

        private char peek() throws NpyFormatException {
            if (p >= s.length()) {
                throw error("header ends early");
            }
            return s.charAt(p);
        }

        private void expect(char c) throws NpyFormatException {
            if (peek() != c) {
                throw error("expected '" + c + "'");
            }
            p++;
        }

        private NpyFormatException error(String what) {
            String shown = s.length() > 120 ? s.substring(0, 120) + "..." : s;
            return new NpyFormatException(source + ": bad .npy header (" + what + " at offset " + p + "): " + printable(shown.strip()));
        }
    }
}
