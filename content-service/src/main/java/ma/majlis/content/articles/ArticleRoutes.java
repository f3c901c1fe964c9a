package ma.majlis.content.articles;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** HTTP face of the article list. */
@RestController
@RequestMapping("/api/articles")
class ArticleRoutes {

    static final int MAX_LIMIT = 100;

    private final ArticleQueries queries;

    ArticleRoutes(ArticleQueries queries) {
        this.queries = queries;
    }

    @GetMapping
    Mono<ArticlePage> list(@RequestParam(defaultValue = "20") int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
                "limit must be between 1 and " + MAX_LIMIT + "; it was " + limit + ".");
            problem.setTitle("Invalid page size");
            return Mono.error(new ErrorResponseException(HttpStatus.BAD_REQUEST, problem, null));
        }
        return queries.newest(limit);
    }
}
