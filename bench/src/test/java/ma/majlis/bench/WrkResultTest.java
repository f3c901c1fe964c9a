package ma.majlis.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class WrkResultTest {

    private static final String OUTPUT = """
        Running 10s test @ http://127.0.0.1:8080/api/articles
          2 threads and 64 connections
          Thread Stats   Avg      Stdev     Max   +/- Stdev
            Latency    21.07ms    9.73ms 131.22ms   80.38%
            Req/Sec     1.55k   212.10     2.02k    71.00%
          Latency Distribution
             50%  850.00us
             75%   24.90ms
             90%   31.30ms
             99%    1.20s
          30867 requests in 10.02s, 40.19MB read
          Socket errors: connect 0, read 3, write 1, timeout 2
          Non-2xx or 3xx responses: 17
        Requests/sec:   3080.51
        Transfer/sec:      4.01MB
        """;

    @Test
    void readsTheRateThePercentilesInMillisecondsAndTheFailures() {
        WrkResult result = WrkResult.parse(OUTPUT);

        assertThat(result.requestsPerSecond()).isEqualTo(3080.51);
        assertThat(result.p50Millis()).isEqualTo(0.85);
        assertThat(result.p99Millis()).isEqualTo(1200.0);
        assertThat(result.requests()).isEqualTo(30867);
        assertThat(result.non2xx()).isEqualTo(17);
        assertThat(result.socketErrors()).isEqualTo(6);
        assertThat(result.clean()).isFalse();
    }

    @Test
    void aRunWithoutFailureLinesIsClean() {
        String clean = OUTPUT.replaceAll("(?m)^.*(Socket errors|Non-2xx).*\\n", "");

        WrkResult result = WrkResult.parse(clean);

        assertThat(result.non2xx()).isZero();
        assertThat(result.socketErrors()).isZero();
        assertThat(result.clean()).isTrue();
    }

    @Test
    void refusesOutputWithoutAResult() {
        assertThatThrownBy(() -> WrkResult.parse("unable to connect to 127.0.0.1:8080 Connection refused"))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("wrk printed no result");
    }
}
