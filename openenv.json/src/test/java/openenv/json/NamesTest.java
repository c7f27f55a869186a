package openenv.json;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NamesTest {

    @ParameterizedTest
    @CsvSource({
        "message, message",
        "episodeId, episode_id",
        "stepCount, step_count",
        "messageLength, message_length",
        "echoedMessage, echoed_message",
        "xMLValue, x_ml_value",
        "XMLValue, xml_value",
        "httpURL, http_url",
        "parseHTTPResponse, parse_http_response",
        "player1Score, player1_score",
        "point3d, point3d",
        "already_snake, already_snake",
        "x, x",
        "ID, id",
    })
    void camelCaseBecomesSnakeCase(String java, String wire) {
        assertThat(Names.snakeCase(java)).isEqualTo(wire);
    }

    @ParameterizedTest
    @CsvSource({
        "message, Message",
        "message_length, Message Length",
        "episode_id, Episode Id",
        "x, X",
        "x_ml_value, X Ml Value",
        "player1_score, Player1 Score",
        "v2beta, V2Beta",
    })
    void titlesFollowPydantic(String wire, String title) {
        assertThat(Names.title(wire)).isEqualTo(title);
    }
}
