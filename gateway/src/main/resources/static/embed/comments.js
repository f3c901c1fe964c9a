/*
 * Majlis comments: the discussion under an article, live.
 *
 *   <script src="https://HOST/embed/comments.js" data-article="SLUG" async></script>
 *
 * Without data-article the thread is the page's own: its path names it as the importer names an MkDocs page
 * (/day-3-computer-vision-for-agriculture/ is the article day-3-computer-vision-for-agriculture). The discussion
 * lives in a shadow root, so that the page's styles and the widget's never meet. window.MajlisComments.mount()
 * mounts it again (MkDocs Material's instant navigation calls it on every page change).
 */
(() => {
  "use strict";

  const script = document.currentScript;
  const api = script && script.src ? new URL(script.src).origin : window.location.origin;
  const MAX_SLUG = 120;
  const PAGE = 50;
  const store = {
    get(key) {
      try { return JSON.parse(window.localStorage.getItem(key)); } catch (e) { return null; }
    },
    set(key, value) {
      try { window.localStorage.setItem(key, JSON.stringify(value)); } catch (e) { /* private mode: forgotten */ }
    },
  };

  /** The slug the importer gives the page at this path: its file (or, for index pages, its folder) name. */
  function slugFromPath(path) {
    const parts = decodeURIComponent(path).split("/").filter((part) => part !== "");
    let last = parts.pop() || "";
    last = last.replace(/\.(html?|md|markdown)$/i, "");
    if (last.toLowerCase() === "index") {
      last = parts.pop() || "";
    }
    let slug = last.normalize("NFD").replace(/\p{M}+/gu, "").toLowerCase()
      .replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "");
    if (slug.length > MAX_SLUG) {
      slug = slug.slice(0, MAX_SLUG).replace(/-+$/, "");
    }
    return slug;
  }

  function voterId() {
    let id = store.get("majlis.voter");
    if (!id) {
      id = (window.crypto && window.crypto.randomUUID) ? window.crypto.randomUUID()
        : String(Date.now()) + Math.random().toString(16).slice(2);
      store.set("majlis.voter", id);
    }
    return id;
  }

  /** Edit tokens of the comments this browser posted, kept until their window closes. */
  const tokens = {
    key: "majlis.editTokens",
    all() {
      const now = Date.now();
      const kept = Object.entries(store.get(this.key) || {})
        .filter(([, token]) => Date.parse(token.until) > now);
      return Object.fromEntries(kept);
    },
    get(id) { return this.all()[id] || null; },
    put(id, token, until, markdown) {
      const all = this.all();
      all[id] = { token, until, markdown };
      store.set(this.key, all);
    },
    drop(id) { const all = this.all(); delete all[id]; store.set(this.key, all); },
  };

  async function request(method, path, body, headers) {
    const init = { method, headers: Object.assign({ Accept: "application/json" }, headers || {}) };
    if (body !== undefined) {
      init.headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    const response = await fetch(api + path, init);
    const text = await response.text();
    const data = text ? JSON.parse(text) : null;
    if (!response.ok) {
      const problem = data || {};
      const fields = (problem.errors || []).map((error) => error.field + " " + error.message).join("; ");
      const error = new Error(fields || problem.detail || problem.title || ("The server answered " + response.status));
      error.status = response.status;
      error.problem = problem;
      throw error;
    }
    return data;
  }

  function element(tag, attributes, children) {
    const node = document.createElement(tag);
    Object.entries(attributes || {}).forEach(([name, value]) => {
      if (value === undefined || value === null || value === false) {
        return;
      }
      if (name === "text") {
        node.textContent = value;
      } else if (name.startsWith("on")) {
        node.addEventListener(name.slice(2), value);
      } else {
        node.setAttribute(name, value === true ? "" : value);
      }
    });
    (children || []).forEach((child) => child && node.append(child));
    return node;
  }

  function when(iso) {
    const date = new Date(iso);
    return element("time", { datetime: iso, title: date.toLocaleString(), text: date.toLocaleDateString(undefined,
      { year: "numeric", month: "short", day: "numeric" }) + " " + date.toLocaleTimeString(undefined,
      { hour: "2-digit", minute: "2-digit" }) });
  }

  let stylesheet = null;

  async function styles(root) {
    if (!stylesheet) {
      const css = await fetch(api + "/embed/comments.css").then((response) => response.text());
      if ("adoptedStyleSheets" in Document.prototype && "replaceSync" in CSSStyleSheet.prototype) {
        stylesheet = new CSSStyleSheet();
        stylesheet.replaceSync(css);
      } else {
        stylesheet = css;
      }
    }
    if (typeof stylesheet === "string") {
      root.append(element("link", { rel: "stylesheet", href: api + "/embed/comments.css" }));
    } else {
      root.adoptedStyleSheets = [stylesheet];
    }
  }

  /** One mounted discussion. */
  class Discussion {
    constructor(host, slug, options) {
      this.host = host;
      this.slug = slug;
      this.options = options;
      this.sort = "oldest";
      this.nodes = new Map();
      this.unseen = 0;
      this.closed = false;
    }

    async start() {
      const root = this.host.shadowRoot || this.host.attachShadow({ mode: "open" });
      root.replaceChildren();
      await styles(root);
      this.theme();
      this.live = element("div", { class: "live", role: "status", "aria-live": "polite" });
      this.marker = element("button", { class: "marker", type: "button", hidden: true,
        onclick: () => this.showUnseen() });
      this.list = element("ol", { class: "thread", "aria-label": "Comments" });
      this.more = element("button", { class: "more", type: "button", hidden: true, text: "Load more comments",
        onclick: () => this.load(this.nextCursor) });
      this.status = element("p", { class: "status" });
      this.sorter = element("select", { id: "sort", onchange: (event) => { this.sort = event.target.value;
        this.reload(); } }, ["oldest", "newest", "top"].map((value) => element("option", { value,
        text: { oldest: "Oldest first", newest: "Newest first", top: "Best first" }[value] })));
      const header = element("div", { class: "header" }, [
        this.count = element("h2", { class: "count", text: "Comments" }),
        element("label", { class: "sort" }, [element("span", { text: "Sort " }), this.sorter]),
      ]);
      root.append(element("section", { class: "majlis", "aria-label": "Discussion" }, [
        header, this.form(null), this.subscription(), this.marker, this.status, this.list, this.more, this.live]));
      await this.reload();
      return this;
    }

    theme() {
      const dark = this.options.theme === "dark"
        || (this.options.theme !== "light" && window.matchMedia("(prefers-color-scheme: dark)").matches);
      this.host.setAttribute("data-theme", dark ? "dark" : "light");
    }

    async reload() {
      this.nodes.clear();
      this.list.replaceChildren();
      this.nextCursor = null;
      this.status.textContent = "Loading the discussion…";
      try {
        const page = await this.load(null);
        this.follow(page.lastSeq);
        this.status.textContent = "";
        this.reveal();
      } catch (error) {
        this.failed(error);
      }
    }

    failed(error) {
      if (error.status === 404) {
        this.status.textContent = "There is no discussion for this page.";
      } else if (error.status === 403 || error.status === 410) {
        this.closed = true;
        this.status.textContent = "Comments are closed on this page.";
        this.host.shadowRoot.querySelectorAll("form.compose, .follow-box").forEach((form) => form.remove());
      } else {
        this.status.textContent = "The discussion could not be loaded: " + error.message;
      }
    }

    async load(cursor) {
      const query = new URLSearchParams({ sort: this.sort, limit: String(PAGE) });
      if (cursor) {
        query.set("cursor", cursor);
      }
      const page = await request("GET", "/api/articles/" + encodeURIComponent(this.slug) + "/comments?" + query);
      page.items.forEach((comment) => this.place(comment, false));
      this.nextCursor = page.nextCursor || null;
      this.more.hidden = !this.nextCursor;
      this.counted();
      return page;
    }

    counted() {
      const shown = [...this.nodes.values()].filter((node) => node.dataset.status === "published").length;
      this.count.textContent = shown === 1 ? "1 comment" : shown + " comments";
    }

    /** Follows the discussion's stream from the page's position: what happened since comes first. */
    follow(lastSeq) {
      if (this.source) {
        this.source.close();
      }
      const url = api + "/api/articles/" + encodeURIComponent(this.slug) + "/comments/stream?lastEventId="
        + encodeURIComponent(lastSeq || 0);
      this.lastId = lastSeq || 0;
      const source = new EventSource(url);
      this.source = source;
      const apply = (event) => {
        this.lastId = event.lastEventId || this.lastId;
        this.changed(event.type, JSON.parse(event.data));
      };
      ["comment.created", "comment.edited", "comment.deleted"].forEach((name) =>
        source.addEventListener(name, apply));
      source.addEventListener("open", () => {
        this.host.removeAttribute("data-offline");
        this.refusals = 0;
      });
      source.addEventListener("error", () => {
        this.host.setAttribute("data-offline", "");
        // The browser reconnects by itself (sending Last-Event-ID) unless the server refused the stream: an
        // instance shutting down, or one holding as many streams as it may. Then try again from the last change
        // received, waiting longer after each refusal (3 s, 6 s, ... up to a minute), and each reader a different
        // while, so that a crowd of refused readers does not come back all at once.
        if (source.readyState === EventSource.CLOSED && this.source === source) {
          this.refusals = (this.refusals || 0) + 1;
          const wait = Math.min(60000, 3000 * 2 ** (this.refusals - 1)) * (0.5 + Math.random());
          window.setTimeout(() => {
            if (this.source === source) {
              this.follow(this.lastId);
            }
          }, wait);
        }
      });
    }

    stop() {
      if (this.source) {
        this.source.close();
        this.source = null;
      }
    }

    changed(type, comment) {
      const known = this.nodes.get(comment.id);
      if (type === "comment.created" && !known) {
        const node = this.place(comment, true);
        if (node && !this.visible(node)) {
          this.unseen += 1;
          this.marker.textContent = this.unseen === 1 ? "1 new comment" : this.unseen + " new comments";
          this.marker.hidden = false;
        }
        this.live.textContent = (comment.authorName || "Someone") + " commented.";
      } else if (known) {
        this.render(known, comment);
      }
      this.counted();
    }

    visible(node) {
      const box = node.getBoundingClientRect();
      return box.bottom > 0 && box.top < window.innerHeight;
    }

    showUnseen() {
      const fresh = this.list.querySelector("li.fresh");
      this.unseen = 0;
      this.marker.hidden = true;
      if (fresh) {
        fresh.scrollIntoView({ behavior: "smooth", block: "center" });
        fresh.querySelector("article").focus();
      }
    }

    /** Puts a comment, and the replies it came with, in its place in the thread. */
    place(comment, fresh) {
      if (this.nodes.has(comment.id)) {
        this.render(this.nodes.get(comment.id), comment);
        return this.nodes.get(comment.id);
      }
      const parentNode = comment.parentId ? this.nodes.get(comment.parentId) : null;
      if (comment.parentId && !parentNode) {
        return null;
      }
      const node = element("li", { class: fresh ? "comment fresh" : "comment", id: "c-" + comment.id });
      node.append(element("article", { tabindex: "-1", "aria-labelledby": "a-" + comment.id }));
      node.append(element("ol", { class: "replies" }));
      this.nodes.set(comment.id, node);
      this.render(node, comment);
      const list = parentNode ? parentNode.querySelector(":scope > ol.replies") : this.list;
      if (fresh && !parentNode && this.sort === "newest") {
        list.prepend(node);
      } else {
        list.append(node);
      }
      (comment.replies || []).forEach((reply) => this.place(reply, false));
      const more = (comment.replyCount || 0) - (comment.replies || []).length;
      if (!parentNode && more > 0) {
        node.append(element("button", { class: "replies-more", type: "button",
          text: more === 1 ? "Show 1 more reply" : "Show " + more + " more replies",
          onclick: (event) => this.loadReplies(comment.id, event.target) }));
      }
      return node;
    }

    async loadReplies(id, button) {
      let cursor = null;
      button.disabled = true;
      do {
        const query = new URLSearchParams({ limit: "100" });
        if (cursor) {
          query.set("cursor", cursor);
        }
        const page = await request("GET", "/api/comments/" + encodeURIComponent(id) + "/replies?" + query);
        page.items.forEach((reply) => this.place(reply, false));
        cursor = page.nextCursor;
      } while (cursor);
      button.remove();
      this.counted();
    }

    render(node, comment) {
      node.dataset.status = comment.status;
      const article = node.querySelector(":scope > article");
      const gone = comment.status === "deleted" || comment.status === "hidden" || comment.bodyHtml === null;
      const body = element("div", { class: "body" });
      if (gone) {
        body.append(element("p", { class: "gone", text: comment.status === "hidden"
          ? "This comment was hidden by a moderator." : "This comment was deleted." }));
      } else {
        // The service renders and sanitises every body (an allow-list of tags, no attributes that run code).
        body.innerHTML = comment.bodyHtml;
        body.querySelectorAll("a").forEach((link) => link.setAttribute("target", "_blank"));
      }
      const meta = element("header", { class: "meta" }, [
        element("strong", { id: "a-" + comment.id, text: gone ? "—" : comment.authorName }),
        when(comment.createdAt),
        comment.editedAt && !gone ? element("span", { class: "edited", text: "edited" }) : null,
      ]);
      article.replaceChildren(meta, body, gone ? element("div") : this.actions(node, comment));
    }

    actions(node, comment) {
      const actions = element("div", { class: "actions" });
      const score = element("span", { class: "score", text: String(comment.score || 0),
        "aria-label": "score " + (comment.score || 0) });
      const vote = (value) => async () => {
        try {
          const result = await request("POST", "/api/comments/" + comment.id + "/votes", { value },
            { "X-Voter-Id": voterId() });
          if (result && typeof result.score === "number") {
            score.textContent = String(result.score);
          }
        } catch (error) {
          this.live.textContent = "Your vote was not counted: " + error.message;
        }
      };
      actions.append(element("button", { type: "button", class: "vote", "aria-label": "Vote up",
        text: "▲", onclick: vote(1) }), score, element("button", { type: "button", class: "vote",
        "aria-label": "Vote down", text: "▼", onclick: vote(-1) }));
      if (!this.closed && comment.depth < (this.options.maxDepth || 5)) {
        actions.append(element("button", { type: "button", text: "Reply", onclick: () => {
          const existing = node.querySelector(":scope > form.compose");
          if (existing) {
            existing.querySelector("textarea").focus();
            return;
          }
          const form = this.form(comment.id);
          node.querySelector(":scope > ol.replies").before(form);
          form.querySelector("input").focus();
        } }));
      }
      const mine = tokens.get(comment.id);
      if (mine) {
        actions.append(element("button", { type: "button", text: "Edit", onclick: () => this.edit(node, comment,
          mine.token) }), element("button", { type: "button", text: "Delete", onclick: async () => {
          if (!window.confirm("Delete your comment?")) {
            return;
          }
          try {
            await request("DELETE", "/api/comments/" + comment.id, undefined, { "X-Edit-Token": mine.token });
            tokens.drop(comment.id);
          } catch (error) {
            this.live.textContent = "Your comment was not deleted: " + error.message;
          }
        } }));
      }
      return actions;
    }

    edit(node, comment, token) {
      const article = node.querySelector(":scope > article");
      const text = element("textarea", { "aria-label": "Your comment", rows: "4", required: true });
      text.value = (tokens.get(comment.id) || {}).markdown || "";
      const form = element("form", { class: "compose", onsubmit: async (event) => {
        event.preventDefault();
        try {
          const changed = await request("PATCH", "/api/comments/" + comment.id, { body: text.value },
            { "X-Edit-Token": token });
          const kept = tokens.get(comment.id);
          if (kept) {
            tokens.put(comment.id, kept.token, kept.until, text.value);
          }
          this.render(node, changed);
        } catch (error) {
          problem.textContent = error.message;
        }
      } }, [text]);
      const problem = element("p", { class: "problem", role: "alert" });
      form.append(element("div", { class: "buttons" }, [element("button", { type: "submit", text: "Save" }),
        element("button", { type: "button", text: "Cancel", onclick: () => this.render(node, comment) })]),
      problem);
      article.querySelector(".body").replaceChildren(form);
      text.focus();
    }

    /** Follow the discussion by e-mail: a confirmation link is mailed first (double opt-in). */
    subscription() {
      const email = element("input", { id: "follow-email", name: "email", type: "email", autocomplete: "email",
        required: true, maxlength: "254" });
      email.value = store.get("majlis.email") || "";
      const mode = element("select", { id: "follow-mode", name: "mode" }, [
        element("option", { value: "immediate", text: "a mail for each comment" }),
        element("option", { value: "digest", text: "one mail an hour at most" })]);
      const said = element("p", { class: "said", role: "status" });
      const follow = element("button", { type: "submit", text: "Follow" });
      const form = element("form", { class: "follow", "aria-label": "Follow this discussion by e-mail",
        onsubmit: async (event) => {
          event.preventDefault();
          follow.disabled = true;
          said.textContent = "";
          try {
            await request("POST", "/api/articles/" + encodeURIComponent(this.slug) + "/subscriptions",
              { email: email.value, mode: mode.value });
            store.set("majlis.email", email.value);
            said.textContent = "Check " + email.value + ": follow the link in the mail to confirm.";
          } catch (error) {
            said.textContent = error.message;
          } finally {
            follow.disabled = false;
          }
        } }, [
        element("label", { for: "follow-email", text: "E-mail" }), email,
        element("label", { for: "follow-mode", text: "Send" }), mode, follow, said]);
      return element("details", { class: "follow-box" }, [
        element("summary", { text: "Follow this discussion by e-mail" }), form]);
    }

    /** The comment a mail's link names (#comment-<id>), brought into view once the discussion is shown. */
    reveal() {
      const wanted = /^#comment-([0-9a-f-]{36})$/.exec(window.location.hash);
      const node = wanted && this.nodes.get(wanted[1]);
      if (node) {
        node.classList.add("fresh");
        node.scrollIntoView({ block: "center" });
        node.querySelector("article").focus({ preventScroll: true });
      }
    }

    /** The form that posts a comment, or a reply to {@code parentId}. */
    form(parentId) {
      const suffix = parentId ? "-" + parentId : "";
      const name = element("input", { id: "name" + suffix, name: "authorName", autocomplete: "nickname",
        maxlength: "80", required: true });
      name.value = store.get("majlis.name") || "";
      const body = element("textarea", { id: "body" + suffix, name: "body", rows: parentId ? "3" : "5",
        required: true });
      const email = element("input", { id: "email" + suffix, name: "email", type: "email", autocomplete: "email",
        maxlength: "254" });
      email.value = store.get("majlis.email") || "";
      const replies = element("input", { id: "replies" + suffix, name: "notifyReplies", type: "checkbox" });
      const preview = element("div", { class: "preview", hidden: true, "aria-live": "polite" });
      const problem = element("p", { class: "problem", role: "alert" });
      const post = element("button", { type: "submit", text: parentId ? "Reply" : "Post comment" });
      const form = element("form", { class: "compose", "aria-label": parentId ? "Reply" : "Join the discussion",
        onsubmit: async (event) => {
          event.preventDefault();
          problem.textContent = "";
          post.disabled = true;
          store.set("majlis.name", name.value);
          store.set("majlis.email", email.value);
          try {
            const posted = await request("POST", "/api/articles/" + encodeURIComponent(this.slug) + "/comments",
              { authorName: name.value, body: body.value, parentId: parentId || undefined,
                email: email.value || undefined, notifyReplies: replies.checked || undefined },
              { "Idempotency-Key": form.dataset.key });
            tokens.put(posted.comment.id, posted.editToken, posted.editableUntil, body.value);
            this.place(posted.comment, true);
            this.counted();
            body.value = "";
            preview.hidden = true;
            form.dataset.key = newKey();
            this.live.textContent = (posted.comment.status === "pending"
              ? "Your comment waits for a moderator." : "Your comment was posted.")
              + (replies.checked ? " To be mailed the replies, follow the link sent to " + email.value + "." : "");
            replies.checked = false;
            if (parentId) {
              form.remove();
            }
          } catch (error) {
            problem.textContent = error.message;
          } finally {
            post.disabled = false;
          }
        } }, [
        element("label", { for: "name" + suffix, text: "Your name" }), name,
        element("label", { for: "body" + suffix, text: parentId ? "Your reply (Markdown)" : "Your comment (Markdown)" }),
        body,
        element("label", { for: "email" + suffix, text: "E-mail (optional, never shown)" }), email,
        element("label", { class: "check", for: "replies" + suffix }, [replies,
          element("span", { text: " Mail me the replies to this comment" })]),
        element("div", { class: "buttons" }, [post, element("button", { type: "button", text: "Preview",
          onclick: async () => {
            try {
              const shown = await request("POST", "/api/comment-previews", { body: body.value });
              preview.innerHTML = shown.bodyHtml;
              preview.hidden = false;
            } catch (error) {
              problem.textContent = error.message;
            }
          } })]),
        preview, problem]);
      form.dataset.key = newKey();
      return form;
    }
  }

  function newKey() {
    return (window.crypto && window.crypto.randomUUID) ? window.crypto.randomUUID()
      : String(Date.now()) + "-" + Math.random().toString(16).slice(2);
  }

  const mounted = new WeakMap();

  /** Every discussion mounted on this page: one whose host left the page (instant navigation) is stopped. */
  const running = new Set();

  /**
   * Mounts the discussion in {@code target} (an element or a selector; by default #majlis-comments, made after
   * the script when missing). Options: article (the slug), theme ("light", "dark", or the reader's preference).
   */
  async function mount(target, options) {
    let host = typeof target === "string" ? document.querySelector(target) : target;
    if (!host) {
      host = document.getElementById("majlis-comments");
    }
    if (!host) {
      host = element("div", { id: "majlis-comments" });
      (script && script.parentNode ? script.parentNode : document.body).insertBefore(host,
        script ? script.nextSibling : null);
    }
    const settings = Object.assign({}, host.dataset, options || {});
    const slug = settings.article || (script && script.dataset.article) || slugFromPath(window.location.pathname);
    const previous = mounted.get(host);
    if (previous) {
      previous.stop();
      running.delete(previous);
    }
    running.forEach((other) => {
      if (!other.host.isConnected) {
        other.stop();
        running.delete(other);
      }
    });
    const discussion = new Discussion(host, slug, settings);
    mounted.set(host, discussion);
    running.add(discussion);
    return discussion.start();
  }

  window.MajlisComments = { mount, slugFromPath };
  if (script && script.dataset.auto !== "false") {
    const go = () => mount(null, { article: script.dataset.article, theme: script.dataset.theme });
    if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", go);
    } else {
      go();
    }
  }
})();
