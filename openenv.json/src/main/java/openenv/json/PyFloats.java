package openenv.json;

import com.fasterxml.jackson.core.io.NumberOutput;

/**
 * Doubles written as Python's {@code repr}/{@code json.dumps} writes them: the shortest digits that round-trip
 * (Jackson's Schubfach writer, correct on every JDK, unlike {@code Double.toString} before JDK 19), positional
 * notation for decimal exponents -4 to 15 ({@code 1.5}, {@code 0.0001}, {@code 1e+16} vs
 * {@code 1000000000000000.0}), scientific otherwise with a signed two-digit-minimum exponent ({@code 1e+20},
 * {@code 1.5e-07}), and {@code NaN}, {@code Infinity}, {@code -Infinity} for the non-finite values.
 */
final class PyFloats {

    private PyFloats() {
    }

    static String repr(double value) {
        if (Double.isNaN(value)) {
            return "NaN";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "Infinity" : "-Infinity";
        }
        String java = NumberOutput.toString(value, true);
        if (Math.abs(value) < Double.MIN_NORMAL) {
            java = shortestSubnormal(value, java);
        }
        return fromJava(java);
    }

    /**
     * Java's format asks for two digits where one would do, and then picks the closest two-digit decimal, so the
     * smallest subnormal prints as 4.9E-324 where Python prints 5e-324. Only subnormals are coarse enough for a
     * one-digit decimal to round-trip when Java shows two.
     */
    private static String shortestSubnormal(double value, String java) {
        int e = java.indexOf('E');
        int start = java.charAt(0) == '-' ? 1 : 0;
        if (e < 0 || e - start != 3) {   // not of the form d.dE..
            return java;
        }
        int exp = Integer.parseInt(java, e + 1, java.length(), 10);
        int twoDigits = (java.charAt(start) - '0') * 10 + (java.charAt(start + 2) - '0');
        int down = twoDigits / 10;
        int[] nearestFirst = twoDigits % 10 >= 5 ? new int[] {down + 1, down} : new int[] {down, down + 1};
        for (int candidate : nearestFirst) {
            String s = (start == 1 ? "-" : "") + (candidate == 10 ? "1.0E" + (exp + 1) : candidate + ".0E" + exp);
            if (candidate > 0 && Double.parseDouble(s) == value) {
                return s;
            }
        }
        return java;
    }

    /** A float (32-bit) in its own shortest digits, e.g. {@code 0.1f -> 0.1}, laid out like a Python float. */
    static String repr(float value) {
        if (Float.isNaN(value)) {
            return "NaN";
        }
        if (Float.isInfinite(value)) {
            return value > 0 ? "Infinity" : "-Infinity";
        }
        return fromJava(NumberOutput.toString(value, true));
    }

    /** The shortest decimal of {@code value} as a double, e.g. so that {@code 0.1f} becomes {@code 0.1}. */
    static double widen(float value) {
        if (Float.isNaN(value) || Float.isInfinite(value)) {
            return value;
        }
        return Double.parseDouble(NumberOutput.toString(value, true));
    }

    /** Re-lays out Java's {@code [-]digits.digits[E[-]exp]} in Python's notation. */
    static String fromJava(String java) {
        if (java.indexOf('E') < 0) {
            // Java writes 1e-3 <= |v| < 1e7 positionally, a range Python also writes positionally, the same way.
            return java;
        }
        int start = 0;
        boolean negative = java.charAt(0) == '-';
        if (negative) {
            start = 1;
        }
        int e = java.indexOf('E', start);
        int mantissaEnd = e < 0 ? java.length() : e;
        int exponent = e < 0 ? 0 : Integer.parseInt(java, e + 1, java.length(), 10);
        StringBuilder digits = new StringBuilder(mantissaEnd - start);
        int pointAt = -1;
        for (int i = start; i < mantissaEnd; i++) {
            char c = java.charAt(i);
            if (c == '.') {
                pointAt = digits.length();
            } else {
                digits.append(c);
            }
        }
        if (pointAt < 0) {
            pointAt = digits.length();
        }
        // value = 0.DIGITS * 10^decpt
        int decpt = pointAt + exponent;
        int lead = 0;
        while (lead < digits.length() && digits.charAt(lead) == '0') {
            lead++;
        }
        int end = digits.length();
        while (end > lead && digits.charAt(end - 1) == '0') {
            end--;
        }
        StringBuilder out = new StringBuilder(24);
        if (negative) {
            out.append('-');
        }
        if (lead == end) {
            return out.append("0.0").toString();
        }
        String d = digits.substring(lead, end);
        decpt -= lead;
        int n = d.length();
        if (decpt > -4 && decpt <= 16) {
            if (decpt <= 0) {
                out.append("0.");
                for (int i = decpt; i < 0; i++) {
                    out.append('0');
                }
                out.append(d);
            } else if (decpt >= n) {
                out.append(d);
                for (int i = n; i < decpt; i++) {
                    out.append('0');
                }
                out.append(".0");
            } else {
                out.append(d, 0, decpt).append('.').append(d, decpt, n);
            }
        } else {
            int exp10 = decpt - 1;
            out.append(d.charAt(0));
            if (n > 1) {
                out.append('.').append(d, 1, n);
            }
            out.append('e').append(exp10 < 0 ? '-' : '+');
            int abs = Math.abs(exp10);
            if (abs < 10) {
                out.append('0');
            }
            out.append(abs);
        }
        return out.toString();
    }
}
