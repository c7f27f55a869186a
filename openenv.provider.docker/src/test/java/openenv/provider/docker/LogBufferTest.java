package openenv.provider.docker;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class LogBufferTest {

    private final List<String> logged = new ArrayList<>();

    @Test
    void linesSplitAcrossFramesAreJoinedPerStream() {
        LogBuffer buffer = new LogBuffer(10, logged::add);
        buffer.append(0, bytes("hel"));
        buffer.append(1, bytes("err one\nerr "));
        buffer.append(0, bytes("lo\r\nworld"));
        buffer.flush();

        assertThat(buffer.text()).isEqualTo("err one\nhello\nworld\nerr \n");
        assertThat(logged).containsExactly("err one", "hello", "world", "err ");
    }

    @Test
    void keepsOnlyTheLastLinesAndSaysHowManyWereDropped() {
        LogBuffer buffer = new LogBuffer(3, line -> { });
        for (int i = 1; i <= 5; i++) {
            buffer.append(0, bytes("line " + i + "\n"));
        }
        assertThat(buffer.text()).isEqualTo("[2 earlier lines dropped]\nline 3\nline 4\nline 5\n");
        assertThat(buffer.tail(2)).isEqualTo("line 4\nline 5\n");
    }

    @Test
    void cutsVeryLongLinesAndDecodesCharactersSplitAcrossFrames() {
        LogBuffer buffer = new LogBuffer(3, line -> { });
        byte[] euro = bytes("€\n");
        buffer.append(0, Arrays.copyOfRange(euro, 0, 1));
        buffer.append(0, Arrays.copyOfRange(euro, 1, euro.length));
        buffer.append(0, bytes("x".repeat(20_000) + "\n"));

        String[] lines = buffer.text().split("\n");
        assertThat(lines[0]).isEqualTo("€");
        assertThat(lines[1]).hasSize(LogBuffer.MAX_LINE_BYTES);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
