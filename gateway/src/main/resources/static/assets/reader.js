/* The reader pages: the list of articles (with search) and an article with its discussion. No outside host. */
(() => {
  "use strict";

  function element(tag, attributes, children) {
    const node = document.createElement(tag);
    Object.entries(attributes || {}).forEach(([name, value]) => {
      if (value === undefined || value === null) {
        return;
      }
      if (name === "text") {
        node.textContent = value;
      } else {
        node.setAttribute(name, value);
      }
    });
    (children || []).forEach((child) => child && node.append(child));
    return node;
  }

  async function json(path) {
    const response = await fetch(path, { headers: { Accept: "application/json" } });
    const data = await response.json().catch(() => ({}));
    if (!response.ok) {
      const error = new Error(data.detail || data.title || ("The server answered " + response.status));
      error.status = response.status;
      throw error;
    }
    return data;
  }

  function day(iso) {
    return iso ? new Date(iso).toLocaleDateString(undefined, { year: "numeric", month: "long", day: "numeric" })
      : null;
  }

  function byline(article) {
    const parts = [];
    if (article.series) {
      parts.push(article.series + (article.day ? " · Day " + article.day : ""));
    }
    const published = day(article.publishedAt);
    if (published) {
      parts.push(published);
    }
    return parts.join(" · ");
  }

  async function listPage() {
    const list = document.querySelector(".articles");
    const status = document.querySelector(".status");
    const more = document.querySelector(".more");
    const query = new URLSearchParams(window.location.search);
    const q = (query.get("q") || "").trim();
    document.getElementById("q").value = q;
    if (q) {
      document.getElementById("heading").textContent = "Articles about “" + q + "”";
    }
    let cursor = null;
    const load = async () => {
      const params = new URLSearchParams({ limit: "20" });
      if (q) {
        params.set("q", q);
      }
      if (cursor) {
        params.set("cursor", cursor);
      }
      status.textContent = "Loading…";
      try {
        const page = await json("/api/articles?" + params);
        page.items.forEach((article) => list.append(summary(article)));
        cursor = page.nextCursor || null;
        more.hidden = !cursor;
        status.textContent = list.children.length === 0 ? (q ? "No article matches." : "No articles yet.") : "";
      } catch (error) {
        status.textContent = "The articles could not be loaded: " + error.message;
      }
    };
    more.addEventListener("click", load);
    await load();
  }

  function summary(article) {
    const snippet = element("p", { class: "snippet" });
    if (article.snippet) {
      // The service escapes the text and only adds <mark> around the words that matched.
      snippet.innerHTML = article.snippet;
    } else {
      snippet.textContent = article.summary || "";
    }
    const comments = article.commentsEnabled
      ? (article.commentCount === 1 ? "1 comment" : article.commentCount + " comments") : "comments closed";
    return element("li", { class: "summary" }, [
      element("h2", {}, [element("a", { href: "/articles/" + encodeURIComponent(article.slug),
        text: article.title })]),
      element("p", { class: "byline", text: byline(article) }),
      snippet,
      element("p", { class: "facts" }, [
        element("span", { class: "comments", text: comments }),
        ...article.tags.map((tag) => element("span", { class: "tag", text: "#" + tag })),
      ]),
    ]);
  }

  async function articlePage() {
    const slug = decodeURIComponent(window.location.pathname.replace(/^\/articles\//, "").replace(/\/$/, ""));
    const container = document.querySelector(".article");
    const status = container.querySelector(".status");
    status.textContent = "Loading…";
    let article;
    try {
      article = await json("/api/articles/" + encodeURIComponent(slug));
    } catch (error) {
      status.textContent = error.status === 404 ? "There is no such article."
        : error.status === 410 ? "This article was withdrawn." : "The article could not be loaded: " + error.message;
      document.getElementById("discussion").remove();
      return;
    }
    document.title = article.title + " · Majlis";
    const body = element("div", { class: "content" });
    // content-service renders the Markdown and sanitises it with an allow-list before it is ever stored.
    body.innerHTML = article.html;
    container.replaceChildren(
      element("p", { class: "byline", text: byline(article) }),
      body,
      element("p", { class: "facts" }, article.tags.map((tag) => element("span", { class: "tag", text: "#" + tag }))));
    const toc = document.querySelector(".toc");
    if (article.tableOfContents.length > 1) {
      toc.append(element("h2", { text: "Contents" }), element("ol", {}, article.tableOfContents.map((entry) =>
        element("li", { class: "level-" + entry.level }, [element("a", { href: "#" + entry.anchor,
          text: entry.text })]))));
    } else {
      toc.remove();
    }
    if (article.commentsEnabled && window.MajlisComments) {
      window.MajlisComments.mount("#majlis-comments", { article: article.slug });
    } else {
      document.getElementById("discussion").replaceChildren(element("p", { class: "status",
        text: "Comments are closed on this article." }));
    }
  }

  document.addEventListener("DOMContentLoaded", () => {
    if (window.location.pathname.startsWith("/articles/")) {
      articlePage();
    } else {
      listPage();
    }
  });
})();
