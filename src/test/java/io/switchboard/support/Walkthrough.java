package io.switchboard.support;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.NullNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs the README's walkthrough as it is written, with neither a shell nor curl nor jq: the blocks that begin with
 * {@value #MARKER}, in the small shell subset they keep to (curl with {@code -s -X -H -d} and a URL, one
 * {@code | jq [-r] <filter>} of paths, {@code NAME=$(…)} and {@code $NAME}), each answer checked against the
 * {@code # -> } comment that abbreviates it. Anything outside the subset is refused, so the README stays within it.
 */
public final class Walkthrough {

    /** The first line of every fenced {@code sh} block of the walkthrough. */
    public static final String MARKER = "# walkthrough:";
    /** What a newcomer sees before the answer has settled; a GET is asked again until its comment holds. */
    private static final Duration SETTLE = Duration.ofSeconds(30);
    private static final Duration RETRY = Duration.ofMillis(200);
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final Pattern ASSIGNMENT = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)=");
    private static final Pattern STATUS = Pattern.compile("HTTP (\\d{3})(?:\\s+(.*))?", Pattern.DOTALL);
    /** What a bare {@code …} becomes in the comment's JSON: a string no answer holds (it starts with NUL). */
    private static final String MORE = "\u0000more";
    private static final String MORE_JSON = "\"\\u0000more\"";

    /** One fenced block: its title (after the marker), the README line it starts on, and its commands. */
    public record Block(String title, int line, List<Statement> statements) {
    }

    /**
     * One command: into {@code variable} when it is an assignment, else its answer shown; {@code expected} the text
     * of its {@code # -> } comment, or null.
     */
    public record Statement(int line, String variable, Curl curl, Jq jq, Word literal, String expected) {
    }

    /** A curl command's parts, each a word still to be expanded. */
    public record Curl(Word method, Word url, List<Word> headers, Word data) {
    }

    /** {@code jq} or {@code jq -r} with its filter. */
    public record Jq(boolean raw, String filter) {
    }

    /** A shell word: literal text and {@code $NAME} references, joined once the variables are known. */
    public record Word(List<Object> parts) {

        String expand(Map<String, String> variables, int line) {
            var text = new StringBuilder();
            for (Object part : parts) {
                if (part instanceof Variable variable) {
                    String value = variables.get(variable.name());
                    if (value == null) {
                        throw new AssertionError("line " + line + ": $" + variable.name()
                                + " is not set by an earlier step");
                    }
                    text.append(value);
                } else {
                    text.append(part);
                }
            }
            return text.toString();
        }

        /** The word as typed, when it holds no variable; else null. */
        String literal() {
            return parts.stream().allMatch(String.class::isInstance) ? String.join("", parts.stream()
                    .map(String.class::cast).toList()) : null;
        }
    }

    record Variable(String name) {
    }

    private Walkthrough() {
    }

    // --- reading the README -----------------------------------------------------------------------------------------

    /** Every walkthrough block of a Markdown file, in order. */
    public static List<Block> read(Path markdown) throws IOException {
        List<String> lines = Files.readAllLines(markdown);
        var blocks = new ArrayList<Block>();
        for (int i = 0; i < lines.size(); i++) {
            if (!lines.get(i).strip().equals("```sh") || i + 1 >= lines.size()
                    || !lines.get(i + 1).startsWith(MARKER)) {
                continue;
            }
            int start = i + 1;
            int end = start;
            while (end < lines.size() && !lines.get(end).strip().equals("```")) {
                end++;
            }
            if (end == lines.size()) {
                throw new AssertionError("line " + (start + 1) + ": the block is never closed");
            }
            String title = lines.get(start).substring(MARKER.length()).strip();
            String body = String.join("\n", lines.subList(start + 1, end));
            blocks.add(new Block(title, start + 1, parse(body, start + 2)));
            i = end;
        }
        return blocks;
    }

    /** The commands of a block's text, whose first line is line {@code firstLine} of the file. */
    public static List<Statement> parse(String text, int firstLine) {
        var statements = new ArrayList<Statement>();
        for (var raw : new Tokenizer(text, firstLine).statements()) {
            statements.add(statement(raw));
        }
        return statements;
    }

    private static Statement statement(RawStatement raw) {
        List<Object> tokens = raw.tokens();
        int line = raw.line();
        if (tokens.size() >= 3 && tokens.get(0) instanceof Word first && first.literal() != null
                && ASSIGNMENT.matcher(first.literal()).matches() && "$(".equals(tokens.get(1))
                && ")".equals(tokens.get(tokens.size() - 1))) {
            String name = first.literal().substring(0, first.literal().length() - 1);
            var pipeline = pipeline(tokens.subList(2, tokens.size() - 1), line);
            if (pipeline.jq() == null) {
                throw unsupported(line, "an assignment takes its value through jq -r");
            }
            return new Statement(line, name, pipeline.curl(), pipeline.jq(), null, raw.expected());
        }
        if (tokens.size() == 1 && tokens.get(0) instanceof Word word && !word.parts().isEmpty()
                && word.parts().get(0) instanceof String head) {
            Matcher m = ASSIGNMENT.matcher(head);
            if (m.lookingAt()) {
                var parts = new ArrayList<Object>(word.parts());
                parts.set(0, head.substring(m.end()));
                return new Statement(line, m.group(1), null, null, new Word(parts), raw.expected());
            }
        }
        var pipeline = pipeline(tokens, line);
        return new Statement(line, null, pipeline.curl(), pipeline.jq(), null, raw.expected());
    }

    private record Pipeline(Curl curl, Jq jq) {
    }

    private static Pipeline pipeline(List<Object> tokens, int line) {
        int bar = tokens.indexOf("|");
        List<Object> curl = bar < 0 ? tokens : tokens.subList(0, bar);
        List<Object> jq = bar < 0 ? List.of() : tokens.subList(bar + 1, tokens.size());
        if (bar >= 0 && jq.contains("|")) {
            throw unsupported(line, "one pipe at most, into jq");
        }
        return new Pipeline(curl(words(curl, line), line), bar < 0 ? null : jq(words(jq, line), line));
    }

    private static List<Word> words(List<Object> tokens, int line) {
        var words = new ArrayList<Word>();
        for (Object token : tokens) {
            if (!(token instanceof Word word)) {
                throw unsupported(line, "'" + token + "' where a command's word was expected");
            }
            words.add(word);
        }
        return words;
    }

    private static Curl curl(List<Word> words, int line) {
        if (words.isEmpty() || !"curl".equals(words.get(0).literal())) {
            throw unsupported(line, "every command is curl");
        }
        Word method = null;
        Word url = null;
        Word data = null;
        var headers = new ArrayList<Word>();
        for (int i = 1; i < words.size(); i++) {
            String flag = words.get(i).literal();
            if ("-s".equals(flag)) {
                continue;
            }
            if ("-X".equals(flag) || "-H".equals(flag) || "-d".equals(flag)) {
                if (i + 1 == words.size()) {
                    throw unsupported(line, "curl " + flag + " without its value");
                }
                Word value = words.get(++i);
                switch (flag) {
                    case "-X" -> method = value;
                    case "-H" -> headers.add(value);
                    default -> {
                        if (data != null) {
                            throw unsupported(line, "one -d per command");
                        }
                        data = value;
                    }
                }
            } else if (flag != null && flag.startsWith("-")) {
                throw unsupported(line, "curl option " + flag + " (only -s, -X, -H, -d)");
            } else if (url == null) {
                url = words.get(i);
            } else {
                throw unsupported(line, "a second URL");
            }
        }
        if (url == null) {
            throw unsupported(line, "curl without a URL");
        }
        return new Curl(method, url, List.copyOf(headers), data);
    }

    private static Jq jq(List<Word> words, int line) {
        boolean raw = words.size() == 3 && "-r".equals(words.get(1).literal());
        if (words.isEmpty() || !"jq".equals(words.get(0).literal()) || words.size() != (raw ? 3 : 2)
                || words.get(words.size() - 1).literal() == null) {
            throw unsupported(line, "the pipe goes to jq [-r] <filter>, the filter without variables");
        }
        String filter = words.get(words.size() - 1).literal();
        JqFilter.parse(filter, line);
        return new Jq(raw, filter);
    }

    static AssertionError unsupported(int line, String what) {
        return new AssertionError("line " + line + ": the walkthrough runs only the shell subset it is checked in; "
                + "not supported: " + what);
    }

    // --- the shell subset -------------------------------------------------------------------------------------------

    private record RawStatement(int line, List<Object> tokens, String expected) {
    }

    /** Splits a block into statements of words and the operators {@code |}, {@code $(} and {@code )}. */
    private static final class Tokenizer {

        private final String text;
        private int pos;
        private int line;
        private final List<RawStatement> statements = new ArrayList<>();
        private List<Object> tokens = new ArrayList<>();
        private int statementLine;
        private String expected;
        private List<Object> parts = new ArrayList<>();
        private StringBuilder literal = new StringBuilder();
        private boolean inWord;
        private int depth;

        Tokenizer(String text, int firstLine) {
            this.text = text;
            this.line = firstLine;
            this.statementLine = firstLine;
        }

        List<RawStatement> statements() {
            while (pos < text.length()) {
                char c = text.charAt(pos);
                if (c == '\\' && peek(1) == '\n') {
                    pos += 2;
                    line++;
                } else if (c == '\\') {
                    inWord = true;
                    literal.append(peek(1));
                    pos += 2;
                } else if (c == ' ' || c == '\t') {
                    endWord();
                    pos++;
                } else if (c == '\n') {
                    endWord();
                    pos++;
                    line++;
                    if (depth == 0) {
                        endStatement();
                    }
                } else if (c == '#' && !inWord) {
                    comment();
                } else if (c == '\'') {
                    singleQuoted();
                } else if (c == '"') {
                    doubleQuoted();
                } else if (c == '$' && peek(1) == '(') {
                    endWord();
                    tokens.add("$(");
                    depth++;
                    pos += 2;
                } else if (c == '$') {
                    variable();
                } else if (c == ')' && depth > 0) {
                    endWord();
                    tokens.add(")");
                    depth--;
                    pos++;
                } else if (c == '|' && peek(1) != '|') {
                    endWord();
                    tokens.add("|");
                    pos++;
                } else if ("|&;<>()`!*?[]{}~".indexOf(c) >= 0) {
                    throw unsupported(line, "'" + c + "' outside quotes");
                } else {
                    inWord = true;
                    literal.append(c);
                    pos++;
                }
            }
            if (depth != 0) {
                throw unsupported(line, "a $( that is never closed");
            }
            endWord();
            endStatement();
            return statements;
        }

        private char peek(int ahead) {
            return pos + ahead < text.length() ? text.charAt(pos + ahead) : '\0';
        }

        private void comment() {
            int end = text.indexOf('\n', pos);
            String comment = text.substring(pos, end < 0 ? text.length() : end);
            pos = end < 0 ? text.length() : end;
            if (!comment.startsWith("# -> ")) {
                return;
            }
            String value = comment.substring("# -> ".length()).strip();
            if (!tokens.isEmpty()) {
                expect(value);
            } else if (!statements.isEmpty() && statements.get(statements.size() - 1).expected() == null) {
                var last = statements.remove(statements.size() - 1);
                statements.add(new RawStatement(last.line(), last.tokens(), value));
            } else {
                throw unsupported(line, "a '# -> ' comment that follows no command, or a second one");
            }
        }

        private void expect(String value) {
            if (expected != null) {
                throw unsupported(line, "a second '# -> ' comment on one command");
            }
            expected = value;
        }

        private void singleQuoted() {
            int end = text.indexOf('\'', pos + 1);
            if (end < 0) {
                throw unsupported(line, "a ' that is never closed");
            }
            String quoted = text.substring(pos + 1, end);
            line += (int) quoted.chars().filter(ch -> ch == '\n').count();
            inWord = true;
            literal.append(quoted);
            pos = end + 1;
        }

        private void doubleQuoted() {
            inWord = true;
            pos++;
            while (true) {
                if (pos >= text.length()) {
                    throw unsupported(line, "a \" that is never closed");
                }
                char c = text.charAt(pos);
                if (c == '"') {
                    pos++;
                    return;
                }
                if (c == '\\' && "\"\\$`\n".indexOf(peek(1)) >= 0) {
                    if (peek(1) == '\n') {
                        line++;
                    } else {
                        literal.append(peek(1));
                    }
                    pos += 2;
                } else if (c == '$' && peek(1) == '(' || c == '`' || c == '!') {
                    throw unsupported(line, "'" + c + "' inside double quotes");
                } else if (c == '$') {
                    variable();
                } else {
                    if (c == '\n') {
                        line++;
                    }
                    literal.append(c);
                    pos++;
                }
            }
        }

        private void variable() {
            Matcher m = Pattern.compile("\\$(?:\\{([A-Za-z_][A-Za-z0-9_]*)}|([A-Za-z_][A-Za-z0-9_]*))")
                    .matcher(text).region(pos, text.length());
            if (!m.lookingAt()) {
                throw unsupported(line, "a '$' that is not $NAME or ${NAME}");
            }
            inWord = true;
            flushLiteral();
            parts.add(new Variable(m.group(1) != null ? m.group(1) : m.group(2)));
            pos = m.end();
        }

        private void flushLiteral() {
            if (!literal.isEmpty()) {
                parts.add(literal.toString());
                literal = new StringBuilder();
            }
        }

        private void endWord() {
            if (!inWord) {
                return;
            }
            flushLiteral();
            if (tokens.isEmpty()) {
                statementLine = line;
            }
            tokens.add(new Word(List.copyOf(parts)));
            parts = new ArrayList<>();
            inWord = false;
        }

        private void endStatement() {
            if (!tokens.isEmpty()) {
                statements.add(new RawStatement(statementLine, tokens, expected));
            } else if (expected != null) {
                throw unsupported(line, "a '# -> ' comment that follows no command");
            }
            tokens = new ArrayList<>();
            expected = null;
        }
    }

    // --- running ----------------------------------------------------------------------------------------------------

    /** One run of the walkthrough: its variables, and the text substituted for the README's host and tokens. */
    public static final class Run {

        private final Map<String, String> substitutions;
        private final Map<String, String> variables = new HashMap<>();
        private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();

        /** {@code substitutions}: README text → what this run uses instead (the port, the operator's token). */
        public Run(Map<String, String> substitutions) {
            this.substitutions = new LinkedHashMap<>(substitutions);
        }

        public Map<String, String> variables() {
            return Map.copyOf(variables);
        }

        public void run(Block block) {
            for (Statement statement : block.statements()) {
                try {
                    run(statement);
                } catch (AssertionError e) {
                    throw new AssertionError("walkthrough step '" + block.title() + "', " + e.getMessage(), e);
                }
            }
        }

        void run(Statement statement) {
            if (statement.literal() != null) {
                variables.put(statement.variable(), statement.literal().expand(variables, statement.line()));
                return;
            }
            var expectation = Expectation.of(statement.expected());
            var request = request(statement);
            long deadline = System.nanoTime() + SETTLE.toNanos();
            boolean repeatable = "GET".equals(request.method());
            while (true) {
                var answer = send(request, statement.line());
                String output = statement.jq() == null ? answer.body() : jq(statement, answer);
                String problem = expectation.problem(answer.statusCode(), output);
                if (problem == null) {
                    if (statement.variable() != null) {
                        assign(statement, output);
                    }
                    return;
                }
                if (!repeatable || System.nanoTime() > deadline) {
                    throw new AssertionError("line " + statement.line() + ": " + request.method() + " "
                            + request.uri() + " answered " + answer.statusCode() + ": " + problem + "\nanswer: "
                            + abbreviate(answer.body()));
                }
                pause();
            }
        }

        private void assign(Statement statement, String output) {
            String value = output.strip();
            if (value.isEmpty() || "null".equals(value) || value.contains("\n")) {
                throw new AssertionError("line " + statement.line() + ": " + statement.variable()
                        + " would be '" + value + "', not one value");
            }
            variables.put(statement.variable(), value);
        }

        private HttpRequest request(Statement statement) {
            Curl curl = statement.curl();
            int line = statement.line();
            String url = substitute(curl.url().expand(variables, line));
            if (!url.contains("://")) {
                url = "http://" + url;
            }
            String body = curl.data() == null ? null : substitute(curl.data().expand(variables, line));
            String method =
                    curl.method() != null ? curl.method().expand(variables, line) : body != null ? "POST" : "GET";
            var builder = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30));
            boolean typed = false;
            for (Word header : curl.headers()) {
                String text = substitute(header.expand(variables, line));
                int colon = text.indexOf(':');
                if (colon <= 0) {
                    throw unsupported(line, "a header without a name: " + text);
                }
                String name = text.substring(0, colon).strip();
                typed |= name.equalsIgnoreCase("Content-Type");
                builder.header(name, text.substring(colon + 1).strip());
            }
            if (body != null && !typed) {
                // As curl does for -d.
                builder.header("Content-Type", "application/x-www-form-urlencoded");
            }
            return builder.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body)).build();
        }

        private String substitute(String text) {
            for (var substitution : substitutions.entrySet()) {
                text = text.replace(substitution.getKey(), substitution.getValue());
            }
            return text;
        }

        private HttpResponse<String> send(HttpRequest request, int line) {
            try {
                return http.send(request, HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                throw new AssertionError("line " + line + ": " + request.uri() + " did not answer: " + e, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }

        private static String jq(Statement statement, HttpResponse<String> answer) {
            JsonNode input;
            try {
                input = MAPPER.readTree(answer.body());
            } catch (JsonProcessingException e) {
                throw new AssertionError("line " + statement.line() + ": jq cannot read the answer ("
                        + answer.statusCode() + "), which is not JSON: " + abbreviate(answer.body()));
            }
            var results = JqFilter.parse(statement.jq().filter(), statement.line()).apply(input);
            var text = new StringBuilder();
            for (JsonNode result : results) {
                text.append(statement.jq().raw() && result.isTextual() ? result.asText() : result.toString())
                        .append('\n');
            }
            return text.toString();
        }

        private static void pause() {
            try {
                Thread.sleep(RETRY.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
    }

    private static String abbreviate(String body) {
        return body.length() <= 2000 ? body : body.substring(0, 2000) + "…";
    }

    // --- the comments ---------------------------------------------------------------------------------------------

    /**
     * What a {@code # -> } comment states: {@code HTTP <status>} first when the answer is not a 2xx, then the answer
     * abbreviated. As JSON, {@code "…"} stands for any value, {@code …} inside a string for any text, and a bare
     * {@code …} for further members of an object or elements of an array; an object without it has exactly the
     * members shown. Anything else is text, {@code …} standing for any text.
     */
    public record Expectation(Integer status, String answer) {

        public static Expectation of(String comment) {
            if (comment == null) {
                return new Expectation(null, null);
            }
            Matcher m = STATUS.matcher(comment);
            if (m.matches()) {
                return new Expectation(Integer.valueOf(m.group(1)), m.group(2) == null ? null : m.group(2).strip());
            }
            return new Expectation(null, comment);
        }

        /** Why the answer does not fit the comment, or null when it does. */
        public String problem(int actualStatus, String output) {
            if (status == null ? actualStatus / 100 != 2 : actualStatus != status) {
                return "expected " + (status == null ? "a 2xx" : "HTTP " + status);
            }
            if (answer == null) {
                return null;
            }
            JsonNode pattern = pattern(answer);
            if (pattern == null) {
                return glob(answer).matcher(output.strip()).matches() ? null
                        : "expected '" + answer + "', got '" + output.strip() + "'";
            }
            JsonNode actual;
            try {
                actual = MAPPER.readTree(output);
            } catch (JsonProcessingException e) {
                return "expected JSON like " + answer + ", got '" + output.strip() + "'";
            }
            String mismatch = mismatch(pattern, actual, "");
            return mismatch == null ? null : mismatch + " (expected " + answer + ")";
        }
    }

    /** The comment as JSON, a bare {@code …} turned into a marker member or element; null when it is not JSON. */
    static JsonNode pattern(String comment) {
        var json = new StringBuilder();
        var open = new ArrayList<Character>();
        boolean inString = false;
        for (int i = 0; i < comment.length(); i++) {
            char c = comment.charAt(i);
            if (inString) {
                json.append(c);
                if (c == '\\' && i + 1 < comment.length()) {
                    json.append(comment.charAt(++i));
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c == '"') {
                inString = true;
                json.append(c);
            } else if (c == '{' || c == '[') {
                open.add(c);
                json.append(c);
            } else if (c == '}' || c == ']') {
                if (!open.isEmpty()) {
                    open.remove(open.size() - 1);
                }
                json.append(c);
            } else if (c == '…' && !open.isEmpty()) {
                json.append(open.get(open.size() - 1) == '{' ? MORE_JSON + ":null" : MORE_JSON);
            } else {
                json.append(c);
            }
        }
        try {
            return MAPPER.readTree(json.toString());
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    static String mismatch(JsonNode pattern, JsonNode actual, String at) {
        String where = at.isEmpty() ? "the answer" : at;
        if (pattern.isTextual() && pattern.asText().equals("…")) {
            return null;
        }
        if (pattern.isTextual() && pattern.asText().contains("…")) {
            return actual.isValueNode() && glob(pattern.asText()).matcher(actual.asText()).matches() ? null
                    : where + " is " + actual;
        }
        if (pattern.isObject()) {
            if (!actual.isObject()) {
                return where + " is " + actual + ", not an object";
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = pattern.fields(); it.hasNext();) {
                var field = it.next();
                if (field.getKey().equals(MORE)) {
                    continue;
                }
                if (!actual.has(field.getKey())) {
                    return where + " has no " + field.getKey();
                }
                String inner = mismatch(field.getValue(), actual.get(field.getKey()), at + "." + field.getKey());
                if (inner != null) {
                    return inner;
                }
            }
            if (!pattern.has(MORE) && actual.size() != pattern.size()) {
                return where + " has more members than shown: " + actual;
            }
            return null;
        }
        if (pattern.isArray()) {
            if (!actual.isArray()) {
                return where + " is " + actual + ", not an array";
            }
            int shown = pattern.size();
            boolean more = shown > 0 && MORE.equals(pattern.get(shown - 1).asText(null));
            int count = more ? shown - 1 : shown;
            if (more ? actual.size() < count : actual.size() != count) {
                return where + " has " + actual.size() + " elements: " + actual;
            }
            for (int i = 0; i < count; i++) {
                String inner = mismatch(pattern.get(i), actual.get(i), at + "[" + i + "]");
                if (inner != null) {
                    return inner;
                }
            }
            return null;
        }
        if (pattern.isNumber() && actual.isNumber()) {
            return pattern.decimalValue().compareTo(actual.decimalValue()) == 0 ? null : where + " is " + actual;
        }
        return pattern.equals(actual) ? null : where + " is " + actual;
    }

    /** {@code …} for any text, the rest as written. */
    private static Pattern glob(String text) {
        var regex = new StringJoiner(".*");
        for (String piece : text.split("…", -1)) {
            regex.add(Pattern.quote(piece));
        }
        return Pattern.compile(regex.toString(), Pattern.DOTALL);
    }

    // --- jq -----------------------------------------------------------------------------------------------------

    /**
     * The part of jq the walkthrough uses: paths ({@code .a.b}, {@code .a[0]}, {@code .a[-1]}, {@code .a[]}), pipes,
     * {@code length}, and {@code [ … ]} to collect the results in an array.
     */
    public interface JqFilter {

        List<JsonNode> apply(JsonNode input);

        static JqFilter parse(String filter, int line) {
            var parser = new JqParser(filter, line);
            JqFilter parsed = parser.pipe();
            parser.skipSpaces();
            if (!parser.done()) {
                throw unsupported(line, "jq filter '" + filter + "' beyond paths, pipes, length and [ ]");
            }
            return parsed;
        }
    }

    private static final class JqParser {

        private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
        private static final Pattern INDEX = Pattern.compile("\\[(-?\\d+)?]");
        private final String text;
        private final int line;
        private int pos;

        JqParser(String text, int line) {
            this.text = text;
            this.line = line;
        }

        boolean done() {
            return pos == text.length();
        }

        void skipSpaces() {
            while (pos < text.length() && text.charAt(pos) == ' ') {
                pos++;
            }
        }

        JqFilter pipe() {
            JqFilter left = term();
            skipSpaces();
            while (pos < text.length() && text.charAt(pos) == '|') {
                pos++;
                JqFilter first = left;
                JqFilter then = term();
                left = input -> first.apply(input).stream().flatMap(value -> then.apply(value).stream()).toList();
                skipSpaces();
            }
            return left;
        }

        private JqFilter term() {
            skipSpaces();
            if (text.startsWith("length", pos)) {
                pos += "length".length();
                return input -> List.of(length(input));
            }
            if (pos < text.length() && text.charAt(pos) == '[') {
                pos++;
                JqFilter inner = pipe();
                skipSpaces();
                if (pos >= text.length() || text.charAt(pos) != ']') {
                    throw unsupported(line, "jq filter '" + text + "': a [ without its ]");
                }
                pos++;
                return input -> {
                    ArrayNode array = MAPPER.createArrayNode();
                    inner.apply(input).forEach(array::add);
                    return List.of(array);
                };
            }
            return path();
        }

        private JqFilter path() {
            if (pos >= text.length() || text.charAt(pos) != '.') {
                throw unsupported(line, "jq filter '" + text + "' beyond paths, pipes, length and [ ]");
            }
            var steps = new ArrayList<JqFilter>();
            pos++;
            Matcher name = NAME.matcher(text).region(pos, text.length());
            if (name.lookingAt()) {
                steps.add(field(name.group()));
                pos = name.end();
            }
            while (pos < text.length()) {
                Matcher index = INDEX.matcher(text).region(pos, text.length());
                if (index.lookingAt()) {
                    steps.add(index.group(1) == null ? JqParser::each : element(Integer.parseInt(index.group(1))));
                    pos = index.end();
                    continue;
                }
                if (text.charAt(pos) == '.') {
                    Matcher next = NAME.matcher(text).region(pos + 1, text.length());
                    if (!next.lookingAt()) {
                        throw unsupported(line, "jq filter '" + text + "' beyond paths, pipes, length and [ ]");
                    }
                    steps.add(field(next.group()));
                    pos = next.end();
                    continue;
                }
                break;
            }
            return input -> {
                List<JsonNode> values = List.of(input);
                for (JqFilter step : steps) {
                    values = values.stream().flatMap(value -> step.apply(value).stream()).toList();
                }
                return values;
            };
        }

        private JqFilter field(String name) {
            return input -> {
                if (input.isNull()) {
                    return List.of(NullNode.getInstance());
                }
                if (!input.isObject()) {
                    throw new AssertionError("line " + line + ": jq cannot index " + input.getNodeType() + " with "
                            + name);
                }
                return List.of(input.has(name) ? input.get(name) : NullNode.getInstance());
            };
        }

        private JqFilter element(int index) {
            return input -> {
                if (input.isNull()) {
                    return List.of(NullNode.getInstance());
                }
                if (!input.isArray()) {
                    throw new AssertionError("line " + line + ": jq cannot index " + input.getNodeType()
                            + " with a number");
                }
                int at = index < 0 ? input.size() + index : index;
                return List.of(at >= 0 && at < input.size() ? input.get(at) : NullNode.getInstance());
            };
        }

        private static List<JsonNode> each(JsonNode input) {
            if (!input.isArray() && !input.isObject()) {
                throw new AssertionError("jq cannot iterate over " + input.getNodeType());
            }
            var values = new ArrayList<JsonNode>();
            input.elements().forEachRemaining(values::add);
            return values;
        }

        private static JsonNode length(JsonNode input) {
            if (input.isNull()) {
                return IntNode.valueOf(0);
            }
            if (input.isTextual()) {
                return IntNode.valueOf(input.asText().codePointCount(0, input.asText().length()));
            }
            return IntNode.valueOf(input.size());
        }
    }
}
