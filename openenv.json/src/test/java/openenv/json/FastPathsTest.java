package openenv.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import openenv.api.StepResult;
import openenv.api.spi.Codec;
import openenv.api.spi.MalformedJsonException;
import org.junit.jupiter.api.Test;

/**
 * The hot-path parser and writer against Jackson, on many generated and mutated documents: {@link FastParser}
 * must build exactly Jackson's tree or step aside, and {@link Utf8Writer} must write exactly the bytes the
 * Jackson generator (configured as the codec used to configure it) writes.
 */
class FastPathsTest {

    private static final JsonFactory JACKSON_WRITER = JsonFactory.builder()
            .enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8)
            .disable(JsonWriteFeature.WRITE_HEX_UPPER_CASE)
            .build();

    private static final String[] EDGE_CASES = {
        "{}", "[]", "0", "-0", "-0.0", "1", "-1", "1.5", "1e5", "1E+5", "1e-5", "0.1e2", "01", "1.", ".5", "-",
        "+1", "1e", "1e+", "123456789012345678", "-123456789012345678", "1234567890123456789",
        "12345678901234567890", "1E400", "-1e400", "4.9e-324", "NaN", "Infinity", "-Infinity", "true", "false",
        "null", "tru", "nul", "truex", "\"\"", "\"a\"", "\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"", "\"\\u00e9\\ud83d\\udc4b\"",
        "\"\\ud800\"", "\"\\u12\"", "\"\\x\"", "\"é\"", "\"👋\"", "\"\u0001\"", "\"a\u007fb\"", " [ 1 , 2 ] ",
        "\t{\n\"a\"\r:1}", "{\"a\":1,}", "[1,]", "[,1]", "{\"a\" 1}", "{a:1}", "{\"a\":1,\"a\":2}", "[1 2]", "",
        "   ", "[[[[[]]]]]", "{\"a\":{\"b\":{\"c\":[null,true,false]}}}", "\"unterminated", "[1,2", "{\"a\":",
        "[\"\u2028\"]", "//1", "/*x*/1", "'a'", "[1]x", "[1] [2]",
    };

    @Test
    void edgeCasesParseAsJacksonParsesThem() {
        for (String text : EDGE_CASES) {
            agree(text.getBytes(StandardCharsets.UTF_8));
        }
        agree(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF, '[', '1', ']'});
        agree(new byte[] {'"', (byte) 0xC3, '"'});                       // truncated sequence
        agree(new byte[] {'"', (byte) 0xC0, (byte) 0x80, '"'});          // overlong NUL
        agree(new byte[] {'"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"'}); // encoded surrogate
        agree(new byte[] {'"', (byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80, '"'}); // above U+10FFFF
        agree(new byte[] {'"', (byte) 0xFF, '"'});
        agree(new byte[] {0, '{', 0, '}'});
        agree("[".repeat(300).concat("]".repeat(300)).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void generatedAndMutatedDocumentsParseAsJacksonParsesThem() {
        Random random = new Random(42);
        byte[] alphabet = "{}[]\",:\\ 0123456789eE.-+tfnulrsaxX\u00e9\n".getBytes(StandardCharsets.UTF_8);
        for (int n = 0; n < 20_000; n++) {
            byte[] doc = Fixtures.CODEC.write(randomTree(random, 0));
            agree(doc);
            byte[] mutated = doc.clone();
            int edits = 1 + random.nextInt(3);
            for (int e = 0; e < edits && mutated.length > 0; e++) {
                int at = random.nextInt(mutated.length);
                mutated[at] = random.nextInt(4) == 0 ? (byte) random.nextInt(256)
                        : alphabet[random.nextInt(alphabet.length)];
            }
            agree(mutated);
        }
    }

    @Test
    void generatedTreesAreWrittenAsTheJacksonGeneratorWritesThem() throws IOException {
        Random random = new Random(7);
        for (int n = 0; n < 20_000; n++) {
            Object tree = randomTree(random, 0);
            assertThat(Fixtures.CODEC.write(tree)).as("tree %s", tree).isEqualTo(withJackson(tree));
        }
        for (long value : new long[] {0, -1, 9, 10, Long.MAX_VALUE, Long.MIN_VALUE, Integer.MIN_VALUE}) {
            assertThat(Fixtures.CODEC.write(value)).isEqualTo(withJackson(value));
        }
    }

    @Test
    void theWriterIsReusedAndStillCorrectWhenAValueWritesJsonWhileBeingWritten() {
        record Inner(String text) {
            @Override
            public String text() {
                return new String(Fixtures.CODEC.write(List.of(text)), StandardCharsets.UTF_8);
            }
        }

        assertThat(Fixtures.json(Map.of("k", new Inner("x")))).isEqualTo("{\"k\":{\"text\":\"[\\\"x\\\"]\"}}");
        assertThat(Fixtures.json(List.of("a".repeat(100_000))).length()).isEqualTo(100_004);
        assertThat(Fixtures.json(List.of(1, 2))).isEqualTo("[1,2]");
    }

    @Test
    void stepResultsAreWrittenDirectlyAsTheirTreeIsWritten() {
        Codec tree = new Codec() { // only the SPI's default writeStepResult, over our write
            @Override
            public Object parse(byte[] utf8) {
                return Fixtures.CODEC.parse(utf8);
            }

            @Override
            public byte[] write(Object value) {
                return Fixtures.CODEC.write(value);
            }

            @Override
            public Object toTree(Object value) {
                return Fixtures.CODEC.toTree(value);
            }

            @Override
            public <T> T fromTree(Object value, Class<T> type, boolean strict) {
                return Fixtures.CODEC.fromTree(value, type, strict);
            }

            @Override
            public Map<String, Object> schema(Class<?> type) {
                return Fixtures.CODEC.schema(type);
            }
        };
        Fixtures.EchoObservation observation = new Fixtures.EchoObservation("h\u00e9\"llo", 5);
        List<StepResult<?>> results = List.of(
                StepResult.of(observation, 0.5),
                StepResult.of(observation),
                StepResult.of(observation, 3 * 0.1).withMetadata(Map.of("k", List.of(1, "v"))),
                StepResult.of(observation, -1.0).asTerminated(),
                StepResult.of(observation, 1e20).asTruncated(),
                StepResult.of(observation).asTerminated().asTruncated().withMetadata(Map.of("a", 1)));
        for (StepResult<?> result : results) {
            for (String type : new String[] {null, "observation"}) {
                for (Object id : new Object[] {null, "req-1", 7L}) {
                    assertThat(new String(Fixtures.CODEC.writeStepResult(result, type, id), StandardCharsets.UTF_8))
                            .isEqualTo(new String(tree.writeStepResult(result, type, id), StandardCharsets.UTF_8));
                }
            }
        }
        assertThat(new String(Fixtures.CODEC.writeStepResult(StepResult.of(observation, 0.5), "observation", null),
                StandardCharsets.UTF_8)).isEqualTo("{\"type\":\"observation\",\"data\":{\"observation\":"
                + "{\"echoed_message\":\"h\u00e9\\\"llo\",\"message_length\":5},\"reward\":0.5,\"done\":false}}");
    }

    private static void agree(byte[] doc) {
        Object fast = FastParser.parse(doc);
        Object jackson;
        try {
            jackson = JacksonCodec.parseWithJackson(doc);
        } catch (MalformedJsonException e) {
            if (fast != FastParser.FALLBACK) {
                fail("fast path accepted what Jackson refuses (" + e.getMessage() + "): "
                        + new String(doc, StandardCharsets.UTF_8));
            }
            return;
        }
        if (fast != FastParser.FALLBACK) {
            assertSame(fast, jackson, new String(doc, StandardCharsets.UTF_8));
        }
    }

    /** Equal values of the same classes, maps in the same order. */
    private static void assertSame(Object fast, Object jackson, String doc) {
        if (fast == null || jackson == null) {
            assertThat(fast).as(doc).isEqualTo(jackson);
            return;
        }
        assertThat(fast.getClass()).as(doc).isEqualTo(jackson.getClass());
        if (fast instanceof Map<?, ?> a) {
            Map<?, ?> b = (Map<?, ?>) jackson;
            assertThat(new ArrayList<>(a.keySet())).as(doc).isEqualTo(new ArrayList<>(b.keySet()));
            for (Object key : a.keySet()) {
                assertSame(a.get(key), b.get(key), doc);
            }
        } else if (fast instanceof List<?> a) {
            List<?> b = (List<?>) jackson;
            assertThat(a).as(doc).hasSameSizeAs(b);
            Iterator<?> ib = b.iterator();
            for (Object item : a) {
                assertSame(item, ib.next(), doc);
            }
        } else {
            assertThat(fast).as(doc).isEqualTo(jackson);
        }
    }

    private static Object randomTree(Random random, int depth) {
        int kind = random.nextInt(depth > 3 ? 6 : 8);
        switch (kind) {
            case 0:
                return null;
            case 1:
                return random.nextBoolean();
            case 2:
                return switch (random.nextInt(4)) {
                    case 0 -> (long) random.nextInt(100);
                    case 1 -> random.nextLong();
                    case 2 -> random.nextLong() >> random.nextInt(64);
                    default -> (long) -random.nextInt(10);
                };
            case 3:
                return switch (random.nextInt(5)) {
                    case 0 -> random.nextDouble();
                    case 1 -> random.nextGaussian() * Math.pow(10, random.nextInt(40) - 20);
                    case 2 -> (double) random.nextInt(1000) / 10;
                    case 3 -> Double.longBitsToDouble(random.nextLong());
                    default -> -0.0;
                };
            case 4:
            case 5:
                return randomString(random);
            case 6: {
                Map<String, Object> map = new LinkedHashMap<>();
                int size = random.nextInt(5);
                for (int i = 0; i < size; i++) {
                    map.put(randomString(random), randomTree(random, depth + 1));
                }
                return map;
            }
            default: {
                List<Object> list = new ArrayList<>();
                int size = random.nextInt(5);
                for (int i = 0; i < size; i++) {
                    list.add(randomTree(random, depth + 1));
                }
                return list;
            }
        }
    }

    private static String randomString(Random random) {
        int length = random.nextInt(12);
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < length; i++) {
            switch (random.nextInt(10)) {
                case 0 -> text.append((char) random.nextInt(0x20));
                case 1 -> text.append("\"\\/".charAt(random.nextInt(3)));
                case 2 -> text.append((char) (0x80 + random.nextInt(0x780)));
                case 3 -> text.append((char) (0x800 + random.nextInt(0xD000)));
                case 4 -> text.appendCodePoint(0x10000 + random.nextInt(0x100000));
                case 5 -> text.append((char) (0xD800 + random.nextInt(0x800))); // unpaired surrogate
                case 6 -> text.append((char) 0x7F);
                default -> text.append((char) (0x20 + random.nextInt(0x5F)));
            }
        }
        return text.toString();
    }

    /** The reference: the Jackson generator as the codec configured it before it had its own writer. */
    private static byte[] withJackson(Object tree) throws IOException {
        ByteArrayBuilder out = new ByteArrayBuilder();
        try (JsonGenerator g = JACKSON_WRITER.createGenerator(out, JsonEncoding.UTF8)) {
            reference(g, tree);
        }
        return out.toByteArray();
    }

    private static void reference(JsonGenerator g, Object v) throws IOException {
        if (v == null) {
            g.writeNull();
        } else if (v instanceof String s) {
            g.writeString(s);
        } else if (v instanceof Boolean b) {
            g.writeBoolean(b);
        } else if (v instanceof Long l) {
            g.writeNumber(l);
        } else if (v instanceof Double d) {
            g.writeNumber(PyFloats.repr(d));
        } else if (v instanceof Map<?, ?> map) {
            g.writeStartObject();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                g.writeFieldName((String) e.getKey());
                reference(g, e.getValue());
            }
            g.writeEndObject();
        } else {
            g.writeStartArray();
            for (Object item : (List<?>) v) {
                reference(g, item);
            }
            g.writeEndArray();
        }
    }
}
