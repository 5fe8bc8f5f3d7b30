//! Integration tests of `ipneeds search`, `ipneeds programs` and `--catalog` errors, run
//! against the built binary and the built-in catalog (data/programs.yaml).

use crate::prelude::*;
use serde_json::Value;

fn program(id: &str) -> &'static Program {
    builtin_catalog()
        .programs
        .iter()
        .find(|p| p.id == id)
        .unwrap_or_else(|| panic!("no program `{id}`"))
}

/// All of a program's searchable text, lower-cased, one line per item.
fn text_of(program: &Program) -> String {
    let mut lines = vec![program.title.clone()];
    for list in [
        &program.beneficiaries,
        &program.objectives,
        &program.activities,
        &program.outcomes,
    ] {
        lines.extend(list.iter().cloned());
    }
    lines.join("\n").to_lowercase()
}

/// Runs `ipneeds search --format json [extra] -- QUERY`, checks exit 0 and the shape of every
/// hit (fields present and consistent with the catalog, sorted by score, highlights inside the
/// snippet), and returns the hits.
fn search_with(query: &str, extra: &[&str]) -> Vec<Value> {
    let mut args = vec!["search", "--format", "json"];
    args.extend_from_slice(extra);
    args.extend(["--", query]);
    let result = Ipneeds::new().args(&args).run();
    assert_eq!(
        result.code,
        Some(0),
        "search {query:?}: stderr: {}",
        result.stderr
    );
    let hits: Vec<Value> = serde_json::from_str(&result.stdout).unwrap_or_else(|e| {
        panic!(
            "search {query:?}: not a JSON array ({e}): {}",
            result.stdout
        )
    });
    let catalog = builtin_catalog();
    for hit in &hits {
        let id = hit["id"].as_str().expect("id is a string");
        let number = hit["number"].as_u64().expect("number is an integer");
        let title = hit["title"].as_str().expect("title is a string");
        let score = hit["score"].as_f64().expect("score is a number");
        let snippet = hit["snippet"].as_str().expect("snippet is a string");
        let field = hit["snippet_field"].as_str().expect("snippet_field");
        let program = catalog
            .programs
            .iter()
            .find(|p| p.id == id)
            .unwrap_or_else(|| panic!("search {query:?}: unknown id {id}"));
        assert_eq!(u64::from(program.number), number, "{id}");
        assert_eq!(program.title, title, "{id}");
        assert!(score > 0.0, "search {query:?}: {id} has score {score}");
        assert!(
            [
                "title",
                "beneficiaries",
                "objectives",
                "activities",
                "outcomes"
            ]
            .contains(&field),
            "{id}: snippet field {field}"
        );
        // The snippet is a catalog line of that field (maybe cropped around the match).
        let core = snippet.trim_start_matches('…').trim_end_matches('…');
        assert!(
            program.field_lines(field).iter().any(|l| l.contains(core)),
            "search {query:?}: {id}: snippet {snippet:?} is not from its {field}"
        );
        let highlights = hit["highlights"].as_array().expect("highlights");
        for range in highlights {
            // `{"start", "end"}`, as in every JSON output.
            assert_eq!(range.as_object().expect("an object").len(), 2, "{range}");
            let start = range["start"].as_u64().expect("start") as usize;
            let end = range["end"].as_u64().expect("end") as usize;
            let word = snippet.get(start..end).unwrap_or_else(|| {
                panic!("search {query:?}: highlight {start}..{end} outside {snippet:?}")
            });
            assert!(!word.trim().is_empty(), "empty highlight in {snippet:?}");
        }
    }
    for pair in hits.windows(2) {
        let (a, b) = (pair[0]["score"].as_f64(), pair[1]["score"].as_f64());
        assert!(
            a >= b,
            "search {query:?}: not sorted by score: {a:?} then {b:?}"
        );
    }
    hits
}

fn search(query: &str) -> Vec<Value> {
    search_with(query, &[])
}

fn ids(hits: &[Value]) -> Vec<String> {
    hits.iter()
        .map(|h| h["id"].as_str().unwrap_or_default().to_string())
        .collect()
}

fn first_id(query: &str) -> Option<String> {
    ids(&search(query)).into_iter().next()
}

// --- search: ranking a reader would agree with -------------------------------------------

/// Queries whose answer is plain from the document text, with the program that must come first.
const OBVIOUS: [(&str, &str); 14] = [
    ("reduction of backlog", "professional-development"),
    // Stemming: the catalog says "examiners".
    ("examiner", "professional-development"),
    ("patent information", "ip-information-access"),
    ("national IP strategy", "national-ip-strategies"),
    ("legislation treaties", "legal-assistance"),
    (
        "creative industries economic contribution",
        "creative-industries-economics",
    ),
    (
        "universities institutional policies",
        "university-ip-policies",
    ),
    ("curricula", "ip-education"),
    ("technology licensing valuation", "ip-management-training"),
    ("SMEs", "sme-support-institutions"),
    ("regional cooperation OAPI ARIPO", "regional-cooperation"),
    ("decision makers senior officials", "policy-development"),
    (
        "functional links Ministries of Justice",
        "ip-administration-capacity",
    ),
    ("IP information centers", "ip-information-access"),
];

#[test]
fn obvious_queries_rank_the_right_program_first() {
    let mut wrong = Vec::new();
    for (query, expected) in OBVIOUS {
        let got = first_id(query);
        if got.as_deref() != Some(expected) {
            wrong.push(format!("{query:?}: expected {expected}, got {got:?}"));
        }
    }
    assert!(wrong.is_empty(), "wrong first hits:\n{}", wrong.join("\n"));
}

#[test]
fn draft_laws_finds_legal_assistance_first() {
    assert_eq!(first_id("draft laws").as_deref(), Some("legal-assistance"));
}

#[test]
fn ip_audit_finds_national_strategies_first() {
    assert_eq!(
        first_id("IP audit").as_deref(),
        Some("national-ip-strategies")
    );
}

#[test]
fn business_incubators_finds_sme_support_first() {
    assert_eq!(
        first_id("business incubators").as_deref(),
        Some("sme-support-institutions")
    );
}

#[test]
fn the_matching_catalog_line_is_the_snippet() {
    let hits = search("reduction of backlog");
    assert_eq!(hits[0]["snippet"], "Reduction of backlog");
    assert_eq!(hits[0]["snippet_field"], "outcomes");
    assert_eq!(hits[0]["number"], 6);
    let hits = search("curricula");
    assert_eq!(
        hits[0]["snippet"],
        "Inclusion of IP in the curricula of educational institutions"
    );
}

#[test]
fn words_given_as_separate_arguments_are_one_query() {
    let joined = Ipneeds::new()
        .args(["search", "--format", "json", "reduction of backlog"])
        .run();
    let separate = Ipneeds::new()
        .args(["search", "--format", "json", "reduction", "of", "backlog"])
        .run();
    assert_eq!(joined.code, Some(0));
    assert_eq!(joined.stdout, separate.stdout);
}

#[test]
fn search_table_shows_program_and_best_line() {
    let result = Ipneeds::new()
        .args(["search", "reduction of backlog"])
        .run();
    assert_eq!(result.code, Some(0), "{}", result.stderr);
    let lines: Vec<&str> = result.stdout.lines().collect();
    // The column is the search's match, not a 0–100 score a planner would read as one.
    assert!(
        lines[0].contains("program") && lines[0].contains("match") && !lines[0].contains("score"),
        "{lines:?}"
    );
    assert!(lines[1].contains("professional-development"), "{lines:?}");
    assert!(
        lines[1].contains("outcomes: Reduction of backlog"),
        "{lines:?}"
    );
    assert!(!result.stdout.contains('\x1b'), "no colour when piped");
}

#[test]
fn phrase_query_needs_the_words_together() {
    let loose = ids(&search("patent information"));
    let phrase = ids(&search("\"patent information\""));
    assert_eq!(
        phrase.first().map(String::as_str),
        Some("ip-information-access")
    );
    // Exactly the programs whose text has the phrase; the loose query finds more.
    let catalog = builtin_catalog();
    let mut with_phrase: Vec<String> = catalog
        .programs
        .iter()
        .filter(|p| text_of(p).contains("patent information"))
        .map(|p| p.id.clone())
        .collect();
    let mut sorted = phrase.clone();
    sorted.sort();
    with_phrase.sort();
    assert_eq!(sorted, with_phrase);
    assert!(loose.contains(&"policy-development".to_string()));
    assert!(!phrase.contains(&"policy-development".to_string()));
    assert!(!phrase.contains(&"ip-management-training".to_string()));
    // The phrase disambiguates where plain words do not.
    assert_eq!(
        first_id("\"draft laws\"").as_deref(),
        Some("legal-assistance")
    );
}

#[test]
fn field_filter_searches_one_list() {
    let everywhere = ids(&search("SMEs"));
    let objectives = search("objectives:SMEs");
    assert_eq!(objectives[0]["id"], "sme-support-institutions");
    assert!(objectives
        .iter()
        .all(|h| h["snippet_field"] == "objectives"));
    // Program 10 mentions SMEs only in its outcomes.
    assert!(everywhere.contains(&"ip-information-access".to_string()));
    assert!(!ids(&objectives).contains(&"ip-information-access".to_string()));
    assert_eq!(
        first_id("outcomes:backlog").as_deref(),
        Some("professional-development")
    );
    assert!(search("title:backlog").is_empty());
    // A field name typed with a capital is the field, not a clause dropped with a hint.
    assert_eq!(ids(&search("Objectives:SMEs")), ids(&objectives));
    assert_eq!(
        first_id("OUTCOMES:backlog").as_deref(),
        Some("professional-development")
    );
}

#[test]
fn a_near_field_name_is_read_as_that_field_with_a_hint() {
    for typed in ["objectivs:SMEs", "objective:SMEs"] {
        let result = Ipneeds::new().args(["search", typed]).run();
        assert_eq!(result.code, Some(0), "{}", result.stderr);
        let name = typed.split(':').next().unwrap_or_default();
        assert!(
            (result.stderr).contains(&format!("no field `{name}`: read as `objectives:`")),
            "{}",
            result.stderr
        );
        assert_eq!(
            ids(&search(typed)),
            ids(&search("objectives:SMEs")),
            "{typed}"
        );
    }
}

/// What a policy officer types is searched, not dropped: a colon in a sentence, a field name
/// the catalog does not have, a fuzzy `~2` the index cannot do. Each used to find nothing.
#[test]
fn colons_unknown_fields_and_tildes_still_search_the_words() {
    assert_eq!(
        ids(&search("backlog: examiners")),
        ids(&search("backlog examiners"))
    );
    assert_eq!(ids(&search("foo:SMEs")), ids(&search("SMEs")));
    assert_eq!(
        ids(&search("foo:\"patent information\"")),
        ids(&search("\"patent information\""))
    );
    assert_eq!(ids(&search("patent~2")), ids(&search("patent")));
    assert!(!search("patent~2").is_empty());
    let result = Ipneeds::new().args(["search", "foo:SMEs"]).run();
    assert!(
        (result.stderr).contains("no field `foo`: what follows it was searched in every field"),
        "{}",
        result.stderr
    );
    assert!(!result.stderr.contains("did you mean"), "{}", result.stderr);
    let result = Ipneeds::new().args(["search", "patent~2"]).run();
    assert!(
        (result.stderr).contains("`patent~2` asks for fuzzy matching"),
        "{}",
        result.stderr
    );
}

#[test]
fn an_unclosed_quote_and_a_weight_without_a_number_are_read_as_meant() {
    // The quote is closed at the end: the phrase, not the words anywhere.
    assert_eq!(
        ids(&search("\"patent information")),
        ids(&search("\"patent information\""))
    );
    let result = Ipneeds::new()
        .args(["search", "\"patent information"])
        .run();
    assert!(
        (result.stderr).contains("the quote before `patent information` is not closed"),
        "{}",
        result.stderr
    );
    // `^` with no number: the words, and no "did you mean" for what followed it.
    assert_eq!(ids(&search("examiners^x")), ids(&search("examiners x")));
    let result = Ipneeds::new().args(["search", "patent^nan"]).run();
    assert!(
        (result.stderr).contains(
            "`^` weighs a word with a number (`patent^2`); `patent^nan` was searched as words"
        ),
        "{}",
        result.stderr
    );
    assert!(!result.stderr.contains("read as `an`"), "{}", result.stderr);
    assert_eq!(ids(&search("patent^2")), ids(&search("patent")));
    // A weight past 100 made every score infinite (`null` in JSON); 0 weighed nothing.
    let huge = format!("patent^1{}", "0".repeat(40));
    let result = Ipneeds::new()
        .args(["search", &huge, "--format", "json"])
        .run();
    assert!(
        (result.stderr).contains("weighs a word by more than 100: read as ^100"),
        "{}",
        result.stderr
    );
    assert!(!result.stdout.contains("null"), "{}", result.stdout);
    assert_eq!(ids(&search(&huge)), ids(&search("patent^100")));
    let result = Ipneeds::new().args(["search", "patent^0"]).run();
    assert!(
        (result.stderr)
            .contains("`patent^0` gives a word no weight: searched with its usual weight"),
        "{}",
        result.stderr
    );
    assert_eq!(ids(&search("patent^0")), ids(&search("patent")));
}

#[test]
fn an_accent_typed_as_a_separate_mark_is_part_of_its_word() {
    // `gestión colectiva` as a Mac pastes it (o + U+0301) finds what the composed word finds.
    let decomposed = "gestio\u{301}n colectiva";
    assert_eq!(ids(&search(decomposed)), ids(&search("gestión colectiva")));
    let result = Ipneeds::new().args(["search", decomposed]).run();
    assert!(!result.stderr.contains("as typed"), "{}", result.stderr);
    assert!(
        !result.stderr.contains("no program's text has"),
        "{}",
        result.stderr
    );
}

#[test]
fn excluded_and_required_words() {
    let catalog = builtin_catalog();
    let patent = ids(&search("patent"));
    let without = ids(&search("patent -trademark"));
    assert!(patent.contains(&"professional-development".to_string()));
    assert!(!without.is_empty());
    for id in &without {
        let text = text_of(catalog.programs.iter().find(|p| &p.id == id).unwrap());
        assert!(
            text.contains("patent") && !text.contains("trademark"),
            "{id}"
        );
    }
    assert_eq!(
        without.len() + 1,
        patent.len(),
        "only program 6 names trademarks"
    );

    let both = ids(&search("+patent +examination"));
    let mut expected: Vec<String> = catalog
        .programs
        .iter()
        .filter(|p| {
            let text = text_of(p);
            text.contains("patent") && text.contains("examin")
        })
        .map(|p| p.id.clone())
        .collect();
    let mut sorted = both.clone();
    sorted.sort();
    expected.sort();
    assert_eq!(sorted, expected);
    assert_eq!(
        sorted,
        ["ip-information-access", "professional-development"]
    );
}

#[test]
fn excluded_word_as_its_own_argument() {
    // `-trademark` after a query word excludes it, as quoted or after `--`.
    let bare = Ipneeds::new()
        .args(["search", "--format", "json", "patent", "-trademark"])
        .run();
    assert_eq!(bare.code, Some(0), "{}", bare.stderr);
    let after_dashes = Ipneeds::new()
        .args(["search", "--format", "json", "--", "patent", "-trademark"])
        .run();
    assert_eq!(after_dashes.code, Some(0), "{}", after_dashes.stderr);
    let quoted = Ipneeds::new()
        .args(["search", "--format", "json", "patent -trademark"])
        .run();
    assert_eq!(after_dashes.stdout, quoted.stdout);
    assert_eq!(bare.stdout, quoted.stdout);
    // Before any word too, since `search` has no option `-t` (a mistyped option such as
    // `-z` is still clap's error).
    let first = Ipneeds::new()
        .args(["search", "--format", "json", "-trademark", "patent"])
        .run();
    assert_eq!(first.code, Some(0), "{}", first.stderr);
    assert_eq!(first.stdout, quoted.stdout);
    let mistyped = Ipneeds::new().args(["search", "-z", "patent"]).run();
    assert_eq!(mistyped.code, Some(2), "{}", mistyped.stderr);
}

#[test]
fn top_limits_the_number_of_hits() {
    assert_eq!(search("IP").len(), 5, "default --top is 5");
    let with_ip = builtin_catalog()
        .programs
        .iter()
        .filter(|p| {
            text_of(p)
                .split(|c: char| !c.is_alphanumeric())
                .any(|w| w == "ip")
        })
        .count();
    assert_eq!(with_ip, 11, "all but program 5 say IP");
    assert_eq!(search_with("IP", &["--top", "12"]).len(), with_ip);
    assert_eq!(search_with("patent", &["--top", "2"]).len(), 2);
    assert_eq!(search_with("patent", &["-n", "1"]).len(), 1);
    assert_eq!(search_with("backlog", &["--top", "2"]).len(), 1);
    let top2 = search_with("patent", &["--top", "2"]);
    let all = search_with("patent", &["--top", "100"]);
    assert_eq!(ids(&top2), ids(&all)[..2]);
}

// --- search: hostile queries ----------------------------------------------------------------

#[test]
fn empty_queries_are_usage_errors() {
    for query in ["", "   ", "\t \n"] {
        let result = Ipneeds::new().args(["search", query]).run();
        result.assert_no_crash(&format!("{query:?}"));
        assert_eq!(result.code, Some(2), "{query:?}");
        assert!(result.stderr.contains("empty"), "{}", result.stderr);
        assert!(result.stdout.is_empty());
    }
}

#[test]
fn overlong_query_is_refused_with_the_limit() {
    let long = "patent ".repeat(20_000 / 7 + 1);
    let result = Ipneeds::new().args(["search", &long]).run();
    result.assert_no_crash("20,000 characters");
    assert_eq!(result.code, Some(2));
    assert!(
        result.stderr.contains("the limit is 10000"),
        "{}",
        result.stderr
    );
    // At the limit the query still runs.
    let at_limit = "a".repeat(10_000);
    let result = Ipneeds::new().args(["search", &at_limit]).run();
    result.assert_no_crash("10,000 characters");
    assert_eq!(result.code, Some(0), "{}", result.stderr);
    let over = "a".repeat(10_001);
    assert_eq!(Ipneeds::new().args(["search", &over]).run().code, Some(2));
}

#[test]
fn hostile_queries_never_crash() {
    let many_parens = "(".repeat(200);
    let many_quotes = "\"".repeat(5_001);
    let hostile: Vec<&str> = vec![
        "(((",
        ")))",
        "\"unclosed",
        "field:",
        "title:",
        ":::",
        "-patent",
        "--",
        "*",
        "?",
        "~2",
        "^",
        "patent^",
        "patent^999999999999",
        "title:[a TO z]",
        "title:{a TO z}",
        "[* TO *]",
        "IN [a b]",
        "AND OR NOT",
        "NOT patent",
        "+",
        "+-+-",
        "\\",
        "🦀 📜",
        "patent 🦀",
        "\u{1}\u{2}\u{1b}[31mred\u{7f}",
        "\u{202e}tnetap",
        "براءة الاختراع",
        "שלום",
        "pa\u{301}tent e\u{301}xaminer",
        "\u{200b}\u{feff}",
        &many_parens,
        &many_quotes,
    ];
    for query in hostile {
        let what = format!("{:?}", query.chars().take(40).collect::<String>());
        let result = Ipneeds::new()
            .args(["search", "--format", "json", "--", query])
            .run();
        result.assert_no_crash(&what);
        if result.code == Some(2) {
            assert!(
                result.stderr.starts_with("error: "),
                "{what}: {}",
                result.stderr
            );
            continue;
        }
        let hits: Vec<Value> = serde_json::from_str(&result.stdout)
            .unwrap_or_else(|e| panic!("{what}: not JSON ({e}): {}", result.stdout));
        if hits.is_empty() {
            assert!(
                result.stderr.contains("no program matches"),
                "{what}: {}",
                result.stderr
            );
        }
    }
}

#[test]
fn thousands_of_open_parentheses_do_not_overflow_the_stack() {
    for query in ["(".repeat(5_000), "(a ".repeat(3_000)] {
        let result = Ipneeds::new().args(["search", "--", &query]).run();
        result.assert_no_crash("5,000 `(`");
    }
}

#[test]
fn only_excluded_words_match_nothing() {
    let result = Ipneeds::new().args(["search", "--", "-patent"]).run();
    assert_eq!(result.code, Some(0), "{}", result.stderr);
    assert!(result.stdout.is_empty(), "{}", result.stdout);
    assert!(
        result.stderr.contains("no program matches `-patent`"),
        "{}",
        result.stderr
    );
    assert!(
        result.stderr.contains("no word to look for"),
        "{}",
        result.stderr
    );
}

#[test]
fn syntax_errors_are_hints_and_the_words_still_count() {
    let result = Ipneeds::new()
        .args(["search", "--format", "json", "\"patent information"])
        .run();
    assert_eq!(result.code, Some(0), "{}", result.stderr);
    assert!(result.stderr.contains("hint: "), "{}", result.stderr);
    let hits: Vec<Value> = serde_json::from_str(&result.stdout).unwrap();
    assert_eq!(hits[0]["id"], "ip-information-access");
    let result = Ipneeds::new().args(["search", "title:[a TO z]"]).run();
    assert_eq!(result.code, Some(0));
    assert!(result.stderr.contains("hint: "), "{}", result.stderr);
}

/// A field name with nothing right after its colon is searched as a word: `objectives:` found
/// the word, `title:` nothing, and neither said why.
#[test]
fn a_field_name_with_nothing_after_its_colon_says_how_to_search_the_field() {
    for (query, field) in [("title:", "title"), ("objectives: SMEs", "objectives")] {
        let result = Ipneeds::new().args(["search", query]).run();
        assert_eq!(result.code, Some(0), "{}", result.stderr);
        assert!(
            result.stderr.contains(&format!(
                "hint: `{field}:` with nothing right after it was searched as the word `{field}`; to search the field, write the word after the colon, e.g. `{field}:backlog`"
            )),
            "{query}: {}",
            result.stderr
        );
    }
    // Punctuation after a word that names no field is not a field.
    let result = Ipneeds::new().args(["search", "backlog: examiners"]).run();
    assert!(!result.stderr.contains("hint:"), "{}", result.stderr);
}

#[test]
fn no_hits_exit_zero_and_say_so() {
    for query in ["zzzqqq", "AND OR NOT", "🦀", "(((", "*"] {
        let result = Ipneeds::new().args(["search", "--", query]).run();
        assert_eq!(result.code, Some(0), "{query}: {}", result.stderr);
        assert!(result.stdout.is_empty(), "{query}: {}", result.stdout);
        assert!(
            result.stderr.contains("no program matches"),
            "{query}: {}",
            result.stderr
        );
    }
    let json = Ipneeds::new()
        .args(["search", "--format", "json", "zzzqqq"])
        .run();
    assert_eq!(json.stdout.trim(), "[]");
}

#[test]
fn a_misspelt_search_is_retried_with_the_suggested_spelling_and_says_so() {
    let result = Ipneeds::new()
        .args(["search", "--format", "json", "examinr"])
        .run();
    assert_eq!(result.code, Some(0));
    assert!(
        result
            .stderr
            .contains("no program matches `examinr` as typed; showing the results for `examiners`"),
        "{}",
        result.stderr
    );
    let hits: Vec<Value> = serde_json::from_str(&result.stdout).unwrap();
    assert_eq!(hits[0]["id"], "professional-development");
    let result = Ipneeds::new().args(["search", "curicula"]).run();
    assert!(result.stderr.contains("`curricula`"), "{}", result.stderr);
    // A planner's word the catalog does not use is a known spelling too.
    let result = Ipneeds::new().args(["search", "pendancy"]).run();
    assert!(result.stderr.contains("`pendency`"), "{}", result.stderr);
    assert!(!result.stdout.is_empty(), "{}", result.stderr);
}

/// A slip is respelt as the catalog's word, not as a planner's French, Spanish or Portuguese
/// word one edit nearer in its first letters (`colective` was read as `colectiva`, `examner`
/// as `exame`); and the words a planner types for least-developed countries and policy makers
/// find the programs that name them, where they were respelt (`pays` as `days`) or cut
/// (`policymakers` as `policy`), and `LDC` found nothing; so do the everyday words of a French,
/// Spanish or Portuguese request, as typed (`investigadores` was respelt as the acronym IGAD,
/// and `dépôt en ligne`, `emprendedores` and `enregistrement` found nothing).
#[test]
fn planners_words_and_slips_find_what_the_catalog_names() {
    let search = |query: &str| {
        Ipneeds::new()
            .args(["search", "--format", "json", "-n", "3", query])
            .run()
    };
    for (query, read_as) in [
        ("colective managment", "(read as `collective`)"),
        (
            "examner trainig",
            "showing the results for `examiners training`",
        ),
    ] {
        let run = search(query);
        assert!(run.stderr.contains(read_as), "{query}: {}", run.stderr);
    }
    for (query, program) in [
        ("LDC", "legal-assistance"),
        ("pays les moins avancés", "legal-assistance"),
        ("países menos adelantados", "legal-assistance"),
        ("policymakers", "policy-development"),
        ("capacity building for policymakers", "policy-development"),
        // Four edits from "copyright": beyond "did you mean", so a planner's word of its own.
        ("copywrite", "professional-development"),
        ("investigadores", "university-ip-policies"),
        ("dépôt en ligne", "ip-administration-capacity"),
        ("enregistrement des marques", "ip-administration-capacity"),
        ("emprendedores", "sme-support-institutions"),
        (
            "auditoría de propiedad intelectual",
            "national-ip-strategies",
        ),
    ] {
        let run = search(query);
        let hits: Vec<Value> = serde_json::from_str(&run.stdout).unwrap();
        let first = hits.first().map(|hit| hit["id"].clone());
        assert_eq!(first, Some(Value::from(program)), "{query}: {}", run.stderr);
        assert!(
            !run.stderr.contains("showing the results for"),
            "{query}: {}",
            run.stderr
        );
    }
}

/// A search's snippet is the line holding most of the words typed, then the rarest: for
/// "examiner training" program 6 showed its objectives' "Training of officials…" (one word, in the
/// field weighed most) instead of "Training courses for patent and trademark examiners".
#[test]
fn a_snippet_is_the_line_holding_most_of_the_words_searched() {
    for (query, program, snippet) in [
        (
            "examiner training",
            "professional-development",
            "Training courses for patent and trademark examiners",
        ),
        (
            "public awareness campaign",
            "ip-information-access",
            "launching awareness and public outreach campaigns",
        ),
    ] {
        let hits = search(query);
        let hit =
            (hits.iter().find(|hit| hit["id"] == program)).unwrap_or_else(|| panic!("{query}"));
        let shown = hit["snippet"].as_str().unwrap_or_default();
        assert!(shown.contains(snippet), "{query}: {shown}");
    }
}

/// A slip beside words that match once counted for nothing, silently (`Patnet backlog`
/// searched for `backlog` alone); a word the catalog simply lacks is left as typed.
#[test]
fn a_misspelt_word_beside_matching_ones_is_read_as_its_near_spelling_and_said() {
    let search = |query: &str| {
        Ipneeds::new()
            .args(["search", "--format", "json", query])
            .run()
    };
    let slipped = search("Patnet backlog");
    assert!(
        slipped.stderr.contains(
            "no program's text has `patnet` (read as `patent`); showing the results for `patent backlog`"
        ),
        "{}",
        slipped.stderr
    );
    assert_eq!(slipped.stdout, search("patent backlog").stdout);
    let lacking = search("artificial intelligence examiners");
    assert!(!lacking.stderr.contains("read as"), "{}", lacking.stderr);
    assert_eq!(lacking.stdout, search("artificial examiners").stdout);
}

/// A word that names nothing (a generic word of `data/synonyms.yaml`) is no misspelling:
/// French "contre" (against) was read as `centre`, which brought in the research centers of
/// programs 11 and 10.
#[test]
fn a_word_that_names_nothing_is_not_respelt() {
    let search = |query: &str| {
        Ipneeds::new()
            .args(["search", "--format", "json", query])
            .run()
    };
    let french = search("la lutte contre la contrefaçon");
    assert!(!french.stderr.contains("read as"), "{}", french.stderr);
    assert_eq!(french.stdout, search("la lutte la contrefaçon").stdout);
}

/// A word of three letters is not respelt: one letter off it is another word, and French or
/// Spanish articles (`les`, `los`) became planners' keys (`lei`, `loi`: law) that put legal
/// assistance first; `bac` became the EAC and regional cooperation.
#[test]
fn short_words_are_not_respelt_into_other_words() {
    let search = |query: &str| {
        Ipneeds::new()
            .args(["search", "--format", "json", query])
            .run()
    };
    for (query, first) in [
        ("les brevets", "ip-information-access"),
        ("los examinadores", "professional-development"),
        ("patent backlog bac", "professional-development"),
    ] {
        let result = search(query);
        assert!(
            !result.stderr.contains("read as"),
            "{query}: {}",
            result.stderr
        );
        let hits: Vec<Value> = serde_json::from_str(&result.stdout).unwrap();
        assert_eq!(hits[0]["id"], first, "{query}");
    }
    let articles = search("le la les de des du");
    assert_eq!(articles.stdout.trim(), "[]", "{}", articles.stderr);
}

#[test]
fn planners_words_find_the_catalogs_programs_and_say_what_was_added() {
    for (query, expected) in [
        ("TISC", "ip-information-access"),
        ("CMO", "professional-development"),
        ("pendency", "professional-development"),
        (
            "formation des examinateurs de brevets",
            "professional-development",
        ),
    ] {
        assert_eq!(first_id(query).as_deref(), Some(expected), "{query}");
    }
    let result = Ipneeds::new().args(["search", "TISC"]).run();
    assert!(
        result
            .stderr
            .contains("note: `TISC` also searched as the catalog's words:"),
        "{}",
        result.stderr
    );
    // A key of the same stem as another of its entry, and as a catalog word ("digital"),
    // is found as written and named as typed: it was not expanded at all.
    let result = Ipneeds::new().args(["search", "digitalization"]).run();
    assert!(
        (result.stderr).contains("note: `digitalization` also searched as the catalog's words:"),
        "{}",
        result.stderr
    );
    assert_eq!(first_id("digitalization"), first_id("digitization"));
}

#[test]
fn a_possessive_is_one_word() {
    // `master's` is `master`, not `master` and a stray `s`.
    assert_eq!(first_id("master's degree"), first_id("master degree"),);
}

#[test]
fn accents_and_case_are_folded() {
    assert_eq!(
        first_id("PÁTENT INFORMATION"),
        first_id("patent information")
    );
    assert_eq!(
        first_id("Backlog").as_deref(),
        Some("professional-development")
    );
}

#[test]
fn no_match_message_does_not_echo_terminal_escapes() {
    let result = Ipneeds::new().args(["search", "\u{1b}[31mred"]).run();
    assert!(!result.stderr.contains('\u{1b}'), "{:?}", result.stderr);
}

// --- programs ------------------------------------------------------------------------------

#[test]
fn programs_json_is_the_catalog() {
    let result = Ipneeds::new().args(["programs", "--format", "json"]).run();
    assert_eq!(result.code, Some(0), "{}", result.stderr);
    let printed: Value = serde_json::from_str(&result.stdout).unwrap();
    let expected = serde_json::to_value(&builtin_catalog().programs).unwrap();
    assert_eq!(printed, expected);
    assert_eq!(printed.as_array().map(Vec::len), Some(12));
    // Spot-check the JSON itself, not only its equality to the library's view.
    assert_eq!(printed[5]["id"], "professional-development");
    assert_eq!(printed[5]["outcomes"][4], "Reduction of backlog");
    assert_eq!(printed[3]["outcomes"], serde_json::json!([]));
    assert!(
        printed[0].get("notes").is_none(),
        "empty notes are left out"
    );
}

#[test]
fn programs_table_lists_twelve_rows_in_order() {
    let result = Ipneeds::new().args(["programs"]).run();
    assert_eq!(result.code, Some(0), "{}", result.stderr);
    let rows: Vec<(u32, String)> = result
        .stdout
        .lines()
        .filter_map(|line| {
            let mut words = line.split_whitespace();
            let number = words.next()?.parse().ok()?;
            Some((number, words.next()?.to_string()))
        })
        .collect();
    let expected: Vec<(u32, String)> = builtin_catalog()
        .programs
        .iter()
        .map(|p| (p.number, p.id.clone()))
        .collect();
    assert_eq!(rows, expected);
    assert!(result.stdout.contains("Professional Development Program"));
}

#[test]
fn programs_show_by_number_or_id_prints_the_same() {
    let by_number = Ipneeds::new().args(["programs", "show", "6"]).run();
    let by_id = Ipneeds::new()
        .args(["programs", "show", "professional-development"])
        .run();
    let by_upper = Ipneeds::new()
        .args(["programs", "show", "PROFESSIONAL-DEVELOPMENT"])
        .run();
    assert_eq!(by_number.code, Some(0), "{}", by_number.stderr);
    assert_eq!(by_number.stdout, by_id.stdout);
    assert_eq!(by_number.stdout, by_upper.stdout);
    let text = &by_number.stdout;
    assert!(
        text.starts_with("6. Professional Development Program\n"),
        "{text}"
    );
    assert!(text.contains("id: professional-development"), "{text}");
    for heading in [
        "Objectives",
        "Types of activities",
        "Expected outcomes",
        "Notes",
    ] {
        assert!(
            text.lines().any(|l| l == heading),
            "{heading} missing:\n{text}"
        );
    }
    assert!(text.contains("  - Reduction of backlog\n"), "{text}");
    assert!(text.contains("  - Shorter processing time\n"), "{text}");
}

#[test]
fn programs_show_json_is_that_program() {
    let result = Ipneeds::new()
        .args(["programs", "show", "8", "--format", "json"])
        .run();
    assert_eq!(result.code, Some(0), "{}", result.stderr);
    let printed: Value = serde_json::from_str(&result.stdout).unwrap();
    assert_eq!(
        printed,
        serde_json::to_value(program("sme-support-institutions")).unwrap()
    );
}

#[test]
fn program_without_outcomes_says_so() {
    let result = Ipneeds::new()
        .args(["programs", "show", "regional-cooperation"])
        .run();
    assert_eq!(result.code, Some(0));
    assert!(
        result
            .stdout
            .contains("Expected outcomes\n  (none given in the source document)\n"),
        "{}",
        result.stdout
    );
}

#[test]
fn unknown_program_is_a_usage_error_with_a_suggestion() {
    let result = Ipneeds::new()
        .args(["programs", "show", "legal-asistance"])
        .run();
    assert_eq!(result.code, Some(2));
    assert!(result.stdout.is_empty());
    assert!(
        result.stderr.contains("did you mean `legal-assistance`"),
        "{}",
        result.stderr
    );
    for missing in ["99", "0"] {
        let result = Ipneeds::new().args(["programs", "show", missing]).run();
        assert_eq!(result.code, Some(2), "{missing}");
        assert!(
            result.stderr.contains(&format!("no program `{missing}`")),
            "{}",
            result.stderr
        );
        assert!(result.stderr.contains("from 1 to 12"), "{}", result.stderr);
    }
}

// --- --catalog ---------------------------------------------------------------------------------

/// Writes `content` to `name` in the run's folder, runs `--catalog FILE programs`, and returns
/// the error message after checking exit 2, no output, no crash, and that it names the file.
fn catalog_error(name: &str, content: &[u8]) -> (String, String) {
    let run = Ipneeds::new().file(name, content);
    let shown = run.path(name).display().to_string();
    let message = catalog_error_at(run, name, 2);
    assert!(message.contains(&shown), "file name missing: {message}");
    (message, shown)
}

/// `--catalog FILE programs` for `name` in the run's folder, which must fail with exit `code`
/// (2 bad content, 3 a file that cannot be read), no output and no crash.
fn catalog_error_at(run: Ipneeds, name: &str, code: i32) -> String {
    let path = run.path(name);
    let result = run.arg("--catalog").arg(&path).arg("programs").run();
    result.assert_no_crash(name).code(code).stdout_is("");
    assert!(result.stderr.starts_with("error: "), "{}", result.context());
    result.stderr
}

const VALID_PROGRAM: &str =
    "programs:\n  - id: a\n    number: 1\n    title: A\n    objectives: [x]\n";

#[test]
fn missing_catalog_file() {
    let run = Ipneeds::new();
    let path = run.path("nowhere.yaml");
    // A file that cannot be read exits 3, not 2 (bad content).
    let message = catalog_error_at(run, "nowhere.yaml", 3);
    assert!(message.contains(&path.display().to_string()), "{message}");
    assert!(message.contains("no such file"), "{message}");
}

#[test]
fn catalog_that_is_a_directory() {
    let run = Ipneeds::new().dir("programs.yaml");
    let path = run.path("programs.yaml");
    let message = catalog_error_at(run, "programs.yaml", 3);
    assert!(message.contains(&path.display().to_string()), "{message}");
    assert!(message.contains("is a directory"), "{message}");
}

#[test]
fn empty_catalog_file() {
    let (message, _) = catalog_error("empty.yaml", b"");
    assert!(message.contains("empty"), "{message}");
    let (message, _) = catalog_error("blank.yaml", b"\n   \n");
    assert!(message.contains("empty"), "{message}");
    let (message, _) = catalog_error("none.yaml", b"programs: []\n");
    assert!(message.contains("no programs"), "{message}");
}

#[test]
fn catalog_yaml_syntax_error_gives_line_and_column() {
    let (message, file) = catalog_error(
        "syntax.yaml",
        b"programs:\n  - id: a\n    number: 1\n    objectives: [x, y\n    title: A\n",
    );
    assert!(message.contains(&format!("{file}:5:10")), "{message}");
    let (message, file) = catalog_error(
        "quote.yaml",
        b"programs:\n  - id: a\n    number: 1\n    title: \"A\n    objectives: [\"x\"]\n",
    );
    assert!(message.contains(&format!("{file}:5:")), "{message}");
    let (message, file) = catalog_error("tab.yaml", b"programs:\n\t- id: a\n");
    assert!(message.contains(&format!("{file}:2:1")), "{message}");
    assert!(message.contains("tab"), "{message}");
}

#[test]
fn catalog_unknown_key_names_line_and_the_right_key() {
    let (message, file) = catalog_error(
        "typo.yaml",
        b"programs:\n  - id: a\n    number: 1\n    title: A\n    objectivs:\n      - x\n",
    );
    assert!(message.contains(&format!("{file}:5:5")), "{message}");
    assert!(message.contains("`objectivs`"), "{message}");
    assert!(message.contains("objectives"), "{message}");
}

#[test]
fn catalog_duplicate_ids_give_both_places() {
    let (message, file) = catalog_error(
        "dup.yaml",
        b"programs:\n  - id: a\n    number: 1\n    title: A\n    objectives: [x]\n  - id: a\n    number: 2\n    title: B\n    objectives: [y]\n",
    );
    assert!(message.contains("used twice"), "{message}");
    assert!(message.contains(&format!("{file}:6:9")), "{message}");
    assert!(
        message.contains(&format!("first at {file}:2:9")),
        "{message}"
    );
}

#[test]
fn catalog_program_without_objectives() {
    let (message, file) = catalog_error(
        "noobj.yaml",
        b"programs:\n  - id: a\n    number: 1\n    title: A\n    objectives: []\n",
    );
    assert!(message.contains(&format!("{file}:5:17")), "{message}");
    assert!(message.contains("no objectives"), "{message}");
    let (message, _) = catalog_error(
        "blankobj.yaml",
        b"programs:\n  - id: a\n    number: 1\n    title: A\n    objectives: [\"  \"]\n",
    );
    assert!(message.contains("no objectives"), "{message}");
    let (message, _) = catalog_error(
        "missingobj.yaml",
        b"programs:\n  - id: a\n    number: 1\n    title: A\n",
    );
    assert!(message.contains("`objectives`"), "{message}");
}

#[test]
fn catalog_not_utf8() {
    let mut bytes = VALID_PROGRAM.as_bytes().to_vec();
    bytes.extend_from_slice(b"# caf\xe9\n");
    let (message, file) = catalog_error("latin1.yaml", &bytes);
    assert!(message.contains(&format!("{file}:6:6")), "{message}");
    assert!(message.contains("UTF-8"), "{message}");
}

#[test]
fn custom_catalog_is_searched_instead_of_the_builtin_one() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("custom.yaml");
    std::fs::write(
        &path,
        "name: Test\nprograms:\n  - id: seed-banks\n    number: 1\n    title: Seed banks\n    objectives: [\"Conserve heirloom seed varieties\"]\n  - id: water-rights\n    number: 2\n    title: Water rights\n    objectives: [\"Mediate irrigation disputes\"]\n    outcomes: [\"Fewer disputes over wells\"]\n",
    )
    .unwrap();
    let catalog = path.to_str().unwrap();

    let result = Ipneeds::new()
        .args([
            "--catalog",
            catalog,
            "search",
            "--format",
            "json",
            "heirloom",
        ])
        .run();
    assert_eq!(result.code, Some(0), "{}", result.stderr);
    let hits: Vec<Value> = serde_json::from_str(&result.stdout).unwrap();
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0]["id"], "seed-banks");
    assert_eq!(hits[0]["snippet"], "Conserve heirloom seed varieties");

    // The option is global: it may follow the subcommand. Stemming works here too.
    let result = Ipneeds::new()
        .args([
            "search",
            "dispute",
            "--catalog",
            catalog,
            "--format",
            "json",
        ])
        .run();
    assert_eq!(result.code, Some(0), "{}", result.stderr);
    let hits: Vec<Value> = serde_json::from_str(&result.stdout).unwrap();
    assert_eq!(hits[0]["id"], "water-rights");

    // The built-in text is gone.
    let result = Ipneeds::new()
        .args(["--catalog", catalog, "search", "backlog"])
        .run();
    assert_eq!(result.code, Some(0));
    assert!(
        result.stderr.contains("no program matches"),
        "{}",
        result.stderr
    );

    let result = Ipneeds::new()
        .args(["--catalog", catalog, "programs"])
        .run();
    assert_eq!(result.code, Some(0));
    assert!(result.stdout.contains("seed-banks"));
    assert!(result.stdout.contains("water-rights"));
    assert!(!result.stdout.contains("legal-assistance"));

    let result = Ipneeds::new()
        .args(["--catalog", catalog, "programs", "show", "3"])
        .run();
    assert_eq!(result.code, Some(2));
    assert!(result.stderr.contains("from 1 to 2"), "{}", result.stderr);
}

/// Found by fuzzing: an excluded phrase that never matches trips a debug assertion inside
/// tantivy 0.27 (PhraseScorer::seek_danger). Top-level exclusions are applied as a filter;
/// anything tantivy still fails on is a clear error, never a crash.
#[test]
fn excluded_phrases_that_never_match_do_not_crash() {
    for query in ["ip -\"r r\"", "-\"r r\" patent", "t -r\\\\r^2e"] {
        let result = Ipneeds::new()
            .args(["search", "--format", "json", "--", query])
            .run();
        assert_eq!(result.code, Some(0), "{query}: {}", result.stderr);
        assert!(
            !result.stderr.contains("panicked"),
            "{query}: {}",
            result.stderr
        );
    }
    let nested = Ipneeds::new()
        .args(["search", "--", "(ip -\"r r\") patent"])
        .run();
    assert!(
        matches!(nested.code, Some(0) | Some(2)),
        "{}",
        nested.stderr
    );
    assert!(!nested.stderr.contains("panicked"), "{}", nested.stderr);
    // Exclusion still excludes: no hit for `patent -information` mentions information.
    let filtered = Ipneeds::new()
        .args(["search", "--format", "json", "--", "patent -information"])
        .run();
    let hits: serde_json::Value = serde_json::from_str(&filtered.stdout).unwrap();
    for hit in hits.as_array().unwrap() {
        assert_ne!(hit["id"], "ip-information-access", "{hit}");
    }
}

/// The index, the needs' relevance, the catalog text's shares (free text is read against them)
/// and the parsed catalog and questionnaire are saved on disk after the first run (keyed by their inputs' text) and read back by the next runs: same
/// results, and a damaged cache file is ignored rather than trusted.
#[test]
fn cached_index_gives_the_same_results_and_survives_damage() {
    let scratch = tempfile::tempdir().unwrap();
    let dir = scratch.path().join("cache");
    let run = |args: &[&str], no_cache: bool| {
        let mut command = Ipneeds::new()
            .in_repo()
            .env("IPNEEDS_CACHE_DIR", &dir)
            .args(args);
        if no_cache {
            command = command.env("IPNEEDS_NO_CACHE", "1");
        }
        let output = command.run();
        output.success();
        output.stdout_bytes
    };
    let search = ["search", "--format", "json", "patent examination backlog"];
    let score = [
        "score",
        "--format",
        "json",
        "questionnaires/examples/example-answers.yaml",
    ];
    let built = (run(&search, true), run(&score, true));
    assert!(!dir.exists(), "IPNEEDS_NO_CACHE=1 must not write a cache");
    let first = (run(&search, false), run(&score, false));
    let saved: Vec<_> = std::fs::read_dir(&dir).unwrap().flatten().collect();
    assert_eq!(
        saved.len(),
        5,
        "index, needs' relevance, catalog text's shares, catalog, questionnaire: {saved:?}"
    );
    let cached = (run(&search, false), run(&score, false));
    assert_eq!(first, built);
    assert_eq!(cached, built);
    for entry in &saved {
        std::fs::write(entry.path(), b"IPNIDX01\x05\x00\x00\x00\x00\x00\x00\x00abc").unwrap();
    }
    assert_eq!((run(&search, false), run(&score, false)), built);
}

/// A cache file damaged in the middle (one byte flipped) is detected by its checksum and the
/// index is rebuilt: the results do not change.
#[test]
fn cache_file_with_a_flipped_byte_is_rebuilt() {
    let dir = tempfile::tempdir().unwrap();
    let run = || {
        let output = Ipneeds::new()
            .env("IPNEEDS_CACHE_DIR", dir.path())
            .args(["search", "--format", "json", "patent information centre"])
            .run();
        output.success();
        output.stdout_bytes
    };
    let fresh = run();
    for entry in std::fs::read_dir(dir.path()).unwrap().flatten() {
        let mut bytes = std::fs::read(entry.path()).unwrap();
        let middle = bytes.len() / 2;
        bytes[middle] ^= 0x40;
        std::fs::write(entry.path(), bytes).unwrap();
    }
    assert_eq!(run(), fresh);
}

/// A graded query set's mean nDCG@3 (each program's grades as written) and the queries that
/// found nothing. Fails on a program id the catalog does not have.
fn measure_queries(relative_path: &str) -> (usize, f64, Vec<String>) {
    #[derive(serde::Deserialize)]
    struct Query {
        query: String,
        grades: std::collections::BTreeMap<String, u8>,
    }
    #[derive(serde::Deserialize)]
    struct Queries {
        queries: Vec<Query>,
    }
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(relative_path);
    let text = std::fs::read_to_string(&path).unwrap();
    let queries: Queries = serde_saphyr::from_str(&text).unwrap();
    let catalog = ipneeds::Catalog::builtin().unwrap();
    let index = ipneeds::CatalogIndex::build_in_memory(&catalog).unwrap();
    let mut total = 0.0;
    let mut empty = Vec::new();
    for query in &queries.queries {
        assert!(
            !query.grades.is_empty(),
            "{}: no graded program",
            query.query
        );
        for program in query.grades.keys() {
            assert!(
                catalog.programs.iter().any(|p| &p.id == program),
                "{relative_path}: {}: `{program}` is no program of the catalog",
                query.query
            );
        }
        let outcome = index.search(&catalog, &query.query, 12).unwrap();
        let ranking: Vec<String> = outcome
            .hits
            .iter()
            .filter_map(|hit| catalog.programs.get(hit.program).map(|p| p.id.clone()))
            .collect();
        if ranking.is_empty() {
            empty.push(query.query.clone());
        }
        total += ipneeds::ndcg(&ranking, &query.grades);
    }
    let count = queries.queries.len();
    (count, total / count as f64, empty)
}

/// The project's own graded queries (tests/data/queries/, written and graded by hand before any
/// engine ran): their mean nDCG@3 is a floor that must not drop, and no query whose grades name
/// a program may come back empty. Measured 0.906 when the floor was set (the peers: 0.70–0.72).
#[test]
fn the_graded_queries_keep_their_ndcg_floor() {
    const FLOOR: f64 = 0.88;
    let (count, mean, empty) = measure_queries("tests/data/queries/queries.yaml");
    assert!(count >= 30, "the issue asks for at least 30 queries");
    assert!(empty.is_empty(), "queries that found nothing: {empty:?}");
    assert!(
        mean >= FLOOR,
        "mean nDCG@3 {mean:.3} fell below the floor {FLOOR}"
    );
}

/// A second writer's queries (tests/data/queries/second-writer/, from real planners' wording,
/// graded before any engine ran): the tuning half keeps its floor (0.876 when set; the peers
/// 0.57–0.59). The held-out half is measured by hand, never asserted on (its README says why):
/// here only that it reads and that no query finds nothing.
#[test]
fn the_second_writers_queries_keep_their_floor_and_all_find_something() {
    const FLOOR: f64 = 0.85;
    let (count, mean, empty) = measure_queries("tests/data/queries/second-writer/tuning.yaml");
    assert_eq!(count, 40);
    assert!(empty.is_empty(), "queries that found nothing: {empty:?}");
    assert!(
        mean >= FLOOR,
        "mean nDCG@3 {mean:.3} fell below the floor {FLOOR}"
    );
    let (count, _, empty) = measure_queries("tests/data/queries/second-writer/held-out.yaml");
    assert_eq!(count, 40);
    assert!(
        empty.is_empty(),
        "held-out queries that found nothing: {empty:?}"
    );
}

/// `check -` reads standard input once: the text that tells a YAML file's kind is the text
/// checked (read twice, the second read found nothing and reported an empty file).
#[test]
fn check_reads_standard_input_once() {
    let result = Ipneeds::new()
        .args(["check", "-"])
        .stdin(CATALOG_TEXT)
        .run();
    result.code(0);
    assert!(result.stderr.contains("ok: - checked"), "{}", result.stderr);
}

/// A planner's word that stands for words the catalog does not use does nothing: `check` says
/// which word, at its line, whether the file is checked itself or used with `--synonyms`, and
/// a search or a score using it warns. The built-in vocabulary passes the same check.
#[test]
fn a_synonym_that_means_words_outside_the_catalog_is_reported() {
    let outside = "synonyms:\n  - words: [zorblax]\n    means: collective zebra management\n";
    for args in [
        vec!["check", "synonyms.yaml"],
        vec!["--synonyms", "synonyms.yaml", "check"],
    ] {
        let result = Ipneeds::new()
            .file("synonyms.yaml", outside)
            .args(args)
            .run();
        result.code(1);
        result.stderr_line_with(&[
            "synonyms.yaml:3:12",
            "`zebra`",
            "`zorblax`",
            "not a word of",
        ]);
        assert!(
            !result.stderr.contains("`collective`"),
            "{}",
            result.context()
        );
    }
    // Used anyway by a search or a score, it is not used in silence.
    for args in [
        vec!["--synonyms", "synonyms.yaml", "search", "zorblax"],
        vec!["--synonyms", "synonyms.yaml", "score", "answers.yaml"],
    ] {
        let result = Ipneeds::new()
            .file("synonyms.yaml", outside)
            .file("answers.yaml", "challenges: zorblax\n")
            .args(args)
            .run();
        result.stderr_line_with(&["warning: synonyms.yaml:3:12", "`zebra`", "used as written"]);
    }
    let builtin = repo().join("data/synonyms.yaml");
    let result = Ipneeds::new()
        .args(["--synonyms", builtin.to_str().unwrap(), "check"])
        .run();
    result.code(0);
    assert!(
        result.stderr.contains("data/synonyms.yaml"),
        "{}",
        result.context()
    );
}

/// A policy officer edits the planners' words without rebuilding: `check` validates the file at
/// its lines, and `--synonyms` uses it.
#[test]
fn an_edited_synonyms_file_is_checked_and_used() {
    let ambiguous = "synonyms:\n  - words: [zorblax]\n    means: patent information\n  - words: [Zorblaxes]\n    means: backlog\n";
    let result = Ipneeds::new()
        .file("synonyms.yaml", ambiguous)
        .args(["check", "synonyms.yaml"])
        .run();
    result.code(1);
    result.stderr_line_with(&["synonyms.yaml:4:13", "`Zorblaxes`", "line 2"]);
    let fine = "synonyms:\n  - words: [zorblax]\n    means: collective management organizations\n";
    let result = Ipneeds::new()
        .file("synonyms.yaml", fine)
        .args([
            "--synonyms",
            "synonyms.yaml",
            "search",
            "--format",
            "json",
            "zorblax",
        ])
        .run();
    result.code(0);
    let hits: Vec<Value> = serde_json::from_str(&result.stdout).unwrap();
    assert_eq!(
        hits[0]["id"],
        "professional-development",
        "{}",
        result.context()
    );
    assert!(
        result.stderr.contains("`zorblax` also searched"),
        "{}",
        result.context()
    );
}

/// The words kept apart from the stemmer are data: a synonyms file that adds `practical` to
/// `kept_apart` stops it matching the catalog's "best practices" (both stem to `practic`), and
/// keeps the programs that say "practical"; `check` refuses a malformed entry at its place.
#[test]
fn a_word_kept_apart_in_a_synonyms_file_matches_only_its_own_meaning() {
    let builtin = std::fs::read_to_string(repo().join("data/synonyms.yaml")).unwrap();
    let search = |synonyms: Option<&str>| {
        let mut run = Ipneeds::new();
        if let Some(text) = synonyms {
            run = run
                .file("synonyms.yaml", text)
                .args(["--synonyms", "synonyms.yaml"]);
        }
        let result = run.args(["search", "--format", "json", "practical"]).run();
        result.code(0);
        let hits: Vec<Value> = serde_json::from_str(&result.stdout).unwrap();
        let ids: Vec<String> = (hits.iter())
            .map(|hit| hit["id"].as_str().unwrap_or_default().to_string())
            .collect();
        (ids, hits)
    };
    // The built-in list does not keep it apart: "best practices" matches.
    let (merged, _) = search(None);
    assert!(
        merged.contains(&"regional-cooperation".to_string()),
        "{merged:?}"
    );
    let kept = format!("{builtin}  - words: [practical]   # hands-on, not best practices\n");
    let (apart, hits) = search(Some(&kept));
    assert!(
        !apart.contains(&"regional-cooperation".to_string()),
        "{apart:?}"
    );
    assert!(
        apart.contains(&"professional-development".to_string()),
        "{apart:?}"
    );
    for hit in &hits {
        let snippet = hit["snippet"].as_str().unwrap_or_default().to_lowercase();
        assert!(snippet.contains("practical"), "{hit}");
    }
    // The same file, checked, is fine; an entry of the stem itself (`access`), or of two words, is not.
    Ipneeds::new()
        .file("synonyms.yaml", &kept)
        .args(["check", "synonyms.yaml"])
        .run()
        .code(0);
    let lines = builtin.lines().count();
    let malformed = format!("{builtin}  - words: [access]\n  - words: [best practices]\n");
    let result = Ipneeds::new()
        .file("synonyms.yaml", malformed)
        .args(["check", "synonyms.yaml"])
        .run();
    result.code(1);
    result.stderr_line_with(&[
        &format!("synonyms.yaml:{}:13:", lines + 1),
        "`access` is its own stem",
    ]);
    result.stderr_line_with(&[
        &format!("synonyms.yaml:{}:13:", lines + 2),
        "`best practices` is several words",
    ]);
    // A file that keeps nothing apart (a copy made before the list was data) is legitimate,
    // but rarely meant: a note says what it changes.
    let result = Ipneeds::new()
        .file(
            "synonyms.yaml",
            "synonyms:\n  - words: [TISC]\n    means: patent information\n",
        )
        .args(["check", "synonyms.yaml"])
        .run();
    result.code(0);
    result.stderr_line_with(&["note: synonyms.yaml keeps no word apart", "`kept_apart`"]);
}

/// Free text reads a planner's word as the catalog's words for it: a country asking for TISCs
/// is pointed to the patent-information program, though the catalog never says "TISC".
#[test]
fn a_planners_word_in_free_text_counts_as_the_catalogs_words() {
    let result = Ipneeds::new()
        .file("answers.yaml", "challenges: TISCs\n")
        .args(["score", "--format", "json", "answers.yaml"])
        .run();
    result.code(0);
    let report: Value = serde_json::from_str(&result.stdout).unwrap();
    let first = &report["programs"][0];
    assert_eq!(first["id"], "ip-information-access", "{}", result.context());
    assert!(
        first["score"].as_f64().unwrap() > 0.0,
        "{}",
        result.context()
    );
}

/// A planner's phrase of several words reads as the catalog's words for it too: "tech
/// transfer" is the catalog's technology licensing (program 9), not the SME support the word
/// "offices" alone leans to.
#[test]
fn a_planners_phrase_in_free_text_counts_as_the_catalogs_words() {
    let result = Ipneeds::new()
        .file(
            "answers.yaml",
            "challenges: tech transfer offices are weak\n",
        )
        .args(["score", "--format", "json", "answers.yaml"])
        .run();
    result.code(0);
    let report: Value = serde_json::from_str(&result.stdout).unwrap();
    assert_eq!(
        report["programs"][0]["id"],
        "ip-management-training",
        "{}",
        result.context()
    );
}

/// A query that starts with an excluded word is a query, not a mistyped option (clap used to
/// say "unexpected argument '-p'" and advise `-- -p`); a `/regex/` is named as one.
#[test]
fn a_leading_excluded_word_and_a_regex_get_the_search_hints() {
    let result = Ipneeds::new().args(["search", "-patent"]).run();
    assert_eq!(result.code, Some(0), "{}", result.stderr);
    assert!(
        (result.stderr).contains("the query has no word to look for"),
        "{}",
        result.stderr
    );
    assert!(
        !result.stderr.contains("unexpected argument"),
        "{}",
        result.stderr
    );
    let result = Ipneeds::new().args(["search", "title:/pat/"]).run();
    assert!(
        (result.stderr).contains("regular expressions (`/…/`) cannot be used"),
        "{}",
        result.stderr
    );
    assert!(!result.stderr.contains("a range in"), "{}", result.stderr);
}

/// A word a search suggests finds programs itself: "filing" was suggested for "efiling" and
/// "filng", a word only of the key "online filing", which alone matches nothing; "efiling" is
/// now the planners' word for automation.
#[test]
fn a_suggested_spelling_finds_programs() {
    assert!(!search("efiling").is_empty());
    for typo in [
        "filng",
        "pendancy",
        "examner",
        "colective",
        "copywrite",
        "backlogg",
    ] {
        let result = Ipneeds::new().args(["search", typo]).run();
        let Some((_, suggested)) = result.stderr.split_once("showing the results for `") else {
            continue;
        };
        let suggested = suggested.split('`').next().unwrap();
        assert!(!search(suggested).is_empty(), "{typo} → {suggested}");
    }
    let result = Ipneeds::new().args(["search", "filng"]).run();
    assert!(!result.stderr.contains("`filing`"), "{}", result.stderr);
}
