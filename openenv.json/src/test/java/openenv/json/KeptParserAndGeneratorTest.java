package openenv.json;

import static openenv.json.Fixtures.CODEC;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import openenv.api.spi.MalformedJsonException;
import org.junit.jupiter.api.Test;

/**
 * The codec keeps one parser and one generator per thread across documents ({@link Reusable}). Nothing of one
 * document may leak into the next: these tests run mixed sequences on one thread and compare with what a
 * fresh parser or generator gives.
 */
class KeptParserAndGeneratorTest {

    private static byte[] utf8(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    @Test
    void aTruncatedObjectIsMalformedEvenRightAfterAGoodDocument() {
        CODEC.parse(utf8("{\"type\":\"step\",\"data\":{\"message\":\"hi\"}}"));

        assertThatThrownBy(() -> CODEC.parse(utf8("{\"type\":\"step\"")))
                .isInstanceOf(MalformedJsonException.class)
                .hasMessageContaining("Expecting ',' delimiter");
        assertThatThrownBy(() -> CODEC.parse(utf8("{\"type\":\"step\",\"data\":[1,2")))
                .isInstanceOf(MalformedJsonException.class);
        assertThatThrownBy(() -> CODEC.parse(utf8("{\"type\":")))
                .isInstanceOf(MalformedJsonException.class);
    }

    @Test
    void aDocumentAfterAMalformedOneIsReadAsIfItCameFirst() {
        List<String> bad = List.of("{\"a\":1", "{\"a\":}", "{\"a\":1}}", "[1,2,]", "{\"a\":1} {\"b\":2}", "{\"a\":\"\\x\"}",
                "{\"a\":tru}", "{\"a\":1}x");
        for (String b : bad) {
            assertThatThrownBy(() -> CODEC.parse(utf8(b))).as(b).isInstanceOf(MalformedJsonException.class);
            assertThat(CODEC.parse(utf8("{\"b\":[true,null,2.5]}"))).as("after " + b)
                    .isEqualTo(Map.of("b", java.util.Arrays.asList(true, null, 2.5)));
        }
    }

    @Test
    void scalarsTrailingWhitespaceAndNonNumbersMatchTheFreshParser() {
        assertThat(CODEC.parse(utf8("{\"a\":1}  \n"))).isEqualTo(Map.of("a", 1L));
        assertThat(CODEC.parse(utf8("12"))).isEqualTo(12L);
        assertThat(CODEC.parse(utf8("{\"a\":1}"))).isEqualTo(Map.of("a", 1L));
        assertThat(CODEC.parse(utf8("NaN"))).isEqualTo(Double.NaN);
        assertThat(CODEC.parse(utf8("[NaN,-Infinity]"))).isEqualTo(List.of(Double.NaN, Double.NEGATIVE_INFINITY));
        assertThatThrownBy(() -> CODEC.parse(utf8("[+Infinity]"))).isInstanceOf(MalformedJsonException.class);
        assertThat(CODEC.parse(utf8("[\"h\u00e9llo \ud83d\udc4b\"]"))).isEqualTo(List.of("h\u00e9llo \ud83d\udc4b"));
    }

    @Test
    void aParserIsReplacedAfterManyDocumentsWithNewKeysAndStillReadsCorrectly() {
        for (int i = 0; i < 5_000; i++) {
            Object tree = CODEC.parse(utf8("{\"key" + i + "\":" + i + "}"));
            assertThat(tree).isEqualTo(Map.of("key" + i, (long) i));
        }
    }

    @Test
    void largeDocumentsInBothDirectionsRoundTrip() {
        List<Object> big = new ArrayList<>();
        for (int i = 0; i < 40_000; i++) {
            big.add((long) i);
        }
        byte[] bytes = CODEC.write(Map.of("big", big));
        assertThat(bytes.length).isGreaterThan(Reusable.MAX_KEPT_BYTES);

        assertThat(CODEC.parse(bytes)).isEqualTo(Map.of("big", big));
        assertThat(text(CODEC.write(Map.of("small", 1)))).isEqualTo("{\"small\":1}");
    }

    @Test
    void aWriteThatFailsHalfwayLeavesNothingForTheNextOne() {
        Map<String, Object> bad = new LinkedHashMap<>();
        bad.put("ok", "first");
        bad.put("bad", new Object());

        assertThatThrownBy(() -> CODEC.write(bad)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Cannot write a java.lang.Object as JSON");
        assertThat(text(CODEC.write(Map.of("next", 2)))).isEqualTo("{\"next\":2}");
        assertThat(text(CODEC.write(List.of(1, 2)))).isEqualTo("[1,2]");
        assertThat(text(CODEC.write("scalar"))).isEqualTo("\"scalar\"");
    }

    /** An accessor that itself writes JSON on the same thread, while the outer write is halfway. */
    record Nested(String inner) {
        @Override
        public String inner() {
            return text(CODEC.write(Map.of("x", inner)));
        }
    }

    @Test
    void aRecordAccessorThatWritesJsonDoesNotDisturbTheOuterWrite() {
        assertThat(text(CODEC.write(List.of("a", new Nested("y"), "b"))))
                .isEqualTo("[\"a\",{\"inner\":\"{\\\"x\\\":\\\"y\\\"}\"},\"b\"]");
        assertThat(text(CODEC.write(List.of(1)))).isEqualTo("[1]");
    }

    @Test
    void threadsReadAndWriteIndependently() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> work = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int thread = t;
                work.add(pool.submit(() -> {
                    for (int i = 0; i < 2_000; i++) {
                        Map<String, Object> doc = Map.of("thread", (long) thread, "i", (long) i);
                        byte[] bytes = CODEC.write(doc);
                        assertThat(CODEC.parse(bytes)).isEqualTo(doc);
                        if (i % 97 == 0) {
                            assertThatThrownBy(() -> CODEC.parse(utf8("{\"t\":" + thread)))
                                    .isInstanceOf(MalformedJsonException.class);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : work) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
