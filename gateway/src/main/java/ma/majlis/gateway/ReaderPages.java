package ma.majlis.gateway;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.Resource;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

import static org.springframework.web.reactive.function.server.RequestPredicates.GET;

/**
 * The reader pages the gateway serves itself: the article list at {@code /} (static index.html) and each
 * article at {@code /articles/{slug}}, one page that reads the article and its discussion from the API. The
 * widget other sites embed is {@code /embed/comments.js}.
 */
@Configuration(proxyBeanMethods = false)
class ReaderPages {

    @Bean
    RouterFunction<ServerResponse> articlePage(@Value("classpath:/static/article.html") Resource page) {
        return RouterFunctions.route(GET("/articles/{slug}"), request -> ServerResponse.ok()
            .contentType(MediaType.TEXT_HTML)
            .cacheControl(CacheControl.noCache())
            .bodyValue(page));
    }
}
