//! A profile's answers as every scoring path holds them: one small value per question
//! position (a choice is its value's index, a multi-choice a bit set), and the one definition
//! of whether a rule's condition holds.
//!
//! A [`Profile`] (answers file, interview, a parsed CSV row) becomes [`Answers`] with
//! [`Answers::of`]; the batch reader fills them straight from a row's cells. Either way the
//! same conditions, rules and reasons run on them.

use crate::profile::questionnaire::{Condition, Question, Questionnaire};
use crate::profile::{Profile, Shown, Value};

/// Multi-choice questions with more values than this hold their answers as text.
pub(crate) const MAX_BITS: usize = 64;

/// One answer, by question position.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Slot {
    Unknown,
    Bool(bool),
    /// Index into the question's values.
    Choice(u16),
    /// Bit i set: the question's value i was chosen.
    Multi(u64),
    Integer(i64),
    Number(f64),
    /// Bytes `start..end` of [`Answers::text`]: free text, a country's code, or a value the
    /// question does not list (prefilled from the country table).
    Text(u32, u32),
    /// A multi-choice not held as bits (values the question does not list, or too many
    /// values): its items joined by `;`, in [`Answers::text`].
    Items(u32, u32),
}

impl Slot {
    /// The answer as a number, when it is one (as conditions read numbers).
    pub(crate) fn number(self) -> Option<f64> {
        match self {
            Slot::Integer(i) => Some(i as f64),
            Slot::Number(n) => Some(n),
            _ => None,
        }
    }
}

/// The ratio a condition reads from two numbers: `None` when one is missing (the condition
/// then fails), `Some(None)` when it has no value (nothing over nothing).
pub(crate) fn ratio(a: Option<f64>, b: Option<f64>) -> Option<Option<f64>> {
    let (a, b) = (a?, b?);
    Some(if b > 0.0 {
        Some(a / b)
    } else if a > 0.0 {
        Some(f64::INFINITY) // a backlog with no examiners at all
    } else {
        None
    })
}

/// Every answer of one profile, by question position.
#[derive(Debug, Clone, Default)]
pub struct Answers {
    pub(crate) slots: Vec<Slot>,
    /// Per question: filled in from the country's reference data.
    pub(crate) prefilled: Vec<bool>,
    /// The text of `Text` and `Items` slots.
    pub(crate) text: String,
}

impl Answers {
    /// The answers of `profile` (fields the questionnaire does not ask are left out: no
    /// condition reads them).
    pub fn of(questionnaire: &Questionnaire, profile: &Profile) -> Answers {
        let mut answers = Answers::default();
        answers.clear(questionnaire.questions.len());
        for (field, answer) in &profile.answers {
            if let (Some(q), Some(question)) =
                (questionnaire.position(field), questionnaire.question(field))
            {
                answers.set(q, question, &answer.value, answer.prefilled);
            }
        }
        answers
    }

    /// Every question unanswered.
    pub(crate) fn clear(&mut self, questions: usize) {
        self.slots.clear();
        self.slots.resize(questions, Slot::Unknown);
        self.prefilled.clear();
        self.prefilled.resize(questions, false);
        self.text.clear();
    }

    /// Sets question `q`'s answer.
    pub(crate) fn set(&mut self, q: usize, question: &Question, value: &Value, prefilled: bool) {
        let slot = self.slot_of(question, value);
        self.put(q, slot, prefilled);
    }

    pub(crate) fn put(&mut self, q: usize, slot: Slot, prefilled: bool) {
        if let (Some(to), Some(mark)) = (self.slots.get_mut(q), self.prefilled.get_mut(q)) {
            *to = slot;
            *mark = prefilled;
        }
    }

    /// The slot that holds `value` for `question` (its text, if any, appended to `text`).
    pub(crate) fn slot_of(&mut self, question: &Question, value: &Value) -> Slot {
        let index = |v: &str| question.values.iter().position(|listed| listed == v);
        match value {
            Value::Bool(b) => Slot::Bool(*b),
            Value::Integer(i) => Slot::Integer(*i),
            Value::Number(n) => Slot::Number(*n),
            Value::Choice(c) => match index(c).and_then(|i| u16::try_from(i).ok()) {
                Some(i) => Slot::Choice(i),
                None => self.push_text(c, Slot::Text),
            },
            Value::Text(t) => self.push_text(t, Slot::Text),
            Value::Multi(items) => {
                // Bits print the chosen values in the question's order, once each: they hold
                // the list only when it is written that way.
                let mut bits = 0u64;
                let mut last = None;
                let held = question.values.len() <= MAX_BITS
                    && items.iter().all(|item| match index(item) {
                        Some(i) if last.is_none_or(|l| i > l) => {
                            bits |= 1 << i;
                            last = Some(i);
                            true
                        }
                        _ => false,
                    });
                if held {
                    Slot::Multi(bits)
                } else {
                    self.push_text(&items.join(";"), Slot::Items)
                }
            }
        }
    }

    /// Appends `text` and makes its slot.
    pub(crate) fn push_text(&mut self, text: &str, make: fn(u32, u32) -> Slot) -> Slot {
        let start = self.text.len();
        self.text.push_str(text);
        match (u32::try_from(start), u32::try_from(self.text.len())) {
            (Ok(start), Ok(end)) => make(start, end),
            // Beyond 4 GiB of text in one profile (cells are limited far below).
            _ => Slot::Unknown,
        }
    }

    pub(crate) fn slot(&self, q: usize) -> Slot {
        self.slots.get(q).copied().unwrap_or(Slot::Unknown)
    }

    pub(crate) fn is_prefilled(&self, q: usize) -> bool {
        self.prefilled.get(q) == Some(&true)
    }

    /// Whether any question but `country` is answered and not prefilled: a table's row of its
    /// id and country alone (a survey left at its first page) answers none, and would read as
    /// an office without gaps.
    pub(crate) fn has_own_answer_besides(&self, country: Option<usize>) -> bool {
        (self.slots.iter().enumerate())
            .any(|(q, slot)| *slot != Slot::Unknown && !self.is_prefilled(q) && Some(q) != country)
    }

    pub(crate) fn text_of(&self, start: u32, end: u32) -> &str {
        self.text.get(start as usize..end as usize).unwrap_or("")
    }

    /// Question `q`'s answer when it is text (free text, a country's code).
    pub(crate) fn text_answer(&self, q: usize) -> Option<&str> {
        match self.slot(q) {
            Slot::Text(start, end) => Some(self.text_of(start, end)),
            _ => None,
        }
    }

    /// The answer as a number, when it is one.
    fn number(&self, q: usize) -> Option<f64> {
        self.slot(q).number()
    }

    /// How question `q`'s answer shows (as [`Value::to_text`] shows the same value).
    pub(crate) fn shown<'s>(&'s self, question: &'s Question, q: usize) -> Option<Shown<'s>> {
        Some(match self.slot(q) {
            Slot::Unknown => return None,
            Slot::Bool(b) => Shown::Bool(b),
            Slot::Choice(i) => Shown::Str(question.values.get(usize::from(i))?),
            Slot::Multi(bits) => Shown::Chosen(&question.values, bits),
            Slot::Integer(i) => Shown::Integer(i),
            Slot::Number(n) => Shown::Number(n),
            Slot::Text(start, end) | Slot::Items(start, end) => {
                Shown::Str(self.text_of(start, end))
            }
        })
    }
}

/// The values a condition's `is` or `is_not` lists, in every form an answer can take.
#[derive(Debug, Clone, Default)]
struct Wanted {
    /// Bit i: the question's value i is listed (for its first 64 values).
    choices: u64,
    /// Listed values of the question at index 64 and beyond.
    far_choices: Vec<u16>,
    yes: bool,
    no: bool,
    integers: Vec<i64>,
    numbers: Vec<f64>,
    texts: Vec<String>,
}

impl Wanted {
    fn new(list: &[String], values: &[String]) -> Wanted {
        let listed = (values.iter().enumerate()).filter(|(_, v)| list.contains(v));
        let mut wanted = Wanted {
            yes: list.iter().any(|w| w == "yes"),
            no: list.iter().any(|w| w == "no"),
            integers: list.iter().filter_map(|w| w.parse().ok()).collect(),
            numbers: list.iter().filter_map(|w| w.parse().ok()).collect(),
            texts: list.to_vec(),
            ..Wanted::default()
        };
        for (i, _) in listed {
            match u16::try_from(i) {
                Ok(i) if usize::from(i) < MAX_BITS => wanted.choices |= 1 << i,
                Ok(i) => wanted.far_choices.push(i),
                Err(_) => {}
            }
        }
        wanted
    }

    /// Whether the answer is one of the values listed (for a multi-choice: any of its items).
    fn matches(&self, answers: &Answers, slot: Slot) -> bool {
        match slot {
            Slot::Unknown => false,
            Slot::Bool(true) => self.yes,
            Slot::Bool(false) => self.no,
            Slot::Choice(i) if usize::from(i) < MAX_BITS => self.choices & (1 << i) != 0,
            Slot::Choice(i) => self.far_choices.contains(&i),
            Slot::Multi(bits) => self.choices & bits != 0,
            Slot::Integer(i) => self.integers.contains(&i),
            Slot::Number(n) => self.numbers.contains(&n),
            Slot::Text(start, end) => {
                let text = answers.text_of(start, end);
                self.texts.iter().any(|w| w == text)
            }
            Slot::Items(start, end) => (answers.text_of(start, end).split(';'))
                .any(|item| self.texts.iter().any(|w| w == item)),
        }
    }
}

#[derive(Debug, Clone, Copy)]
enum Numeric {
    None,
    Field(usize),
    Ratio(usize, usize),
}

/// A condition with its questions resolved to positions (`usize::MAX`: not a question, so
/// never answered).
#[derive(Debug, Clone)]
pub(crate) struct Test {
    numeric: Numeric,
    at_least: Option<f64>,
    at_most: Option<f64>,
    answer: Option<usize>,
    is: Option<Wanted>,
    is_not: Option<Wanted>,
}

impl Test {
    pub(crate) fn new(condition: &Condition, questionnaire: &Questionnaire) -> Test {
        let position = |field: &str| questionnaire.position(field).unwrap_or(usize::MAX);
        let numeric = match (&condition.answer, &condition.ratio) {
            (Some(field), _) => Numeric::Field(position(field)),
            (None, Some([a, b])) => Numeric::Ratio(position(a), position(b)),
            (None, None) => Numeric::None,
        };
        let values = (condition.answer.as_deref())
            .and_then(|field| questionnaire.question(field))
            .map_or(&[][..], |q| q.values.as_slice());
        let wanted = |list: &Option<Vec<String>>| list.as_ref().map(|l| Wanted::new(l, values));
        Test {
            numeric,
            at_least: condition.at_least,
            at_most: condition.at_most,
            answer: condition.answer.as_deref().map(position),
            is: wanted(&condition.is),
            is_not: wanted(&condition.is_not),
        }
    }

    /// The questions the condition reads.
    pub(crate) fn reads(&self) -> impl Iterator<Item = usize> {
        let numeric = match self.numeric {
            Numeric::None => [None, None],
            Numeric::Field(q) => [Some(q), None],
            Numeric::Ratio(a, b) => [Some(a), Some(b)],
        };
        numeric.into_iter().chain([self.answer]).flatten()
    }

    /// The values of question `q` (bit i: its value i, for its first 64) whose presence in a
    /// multi-choice answer decides whether the condition holds: for a multi-choice answer
    /// (`Slot::Multi`), [`Self::holds`] reads only these bits of it (and never reads it as a
    /// number).
    pub(crate) fn values_read(&self, q: usize) -> u64 {
        if self.answer != Some(q) {
            return 0;
        }
        let listed = |wanted: &Option<Wanted>| wanted.as_ref().map_or(0, |w| w.choices);
        listed(&self.is) | listed(&self.is_not)
    }

    /// Where the condition can turn as question `q`'s answer, read as a number, grows: each
    /// cut `c` is the point from which `n >= c` (an `at_least` its bound, an `at_most` the
    /// number after its bound), so answers on the same side of every cut fare alike. `None`
    /// when the condition reads `q` in another way (in a ratio, or with a list of values), or
    /// a cut is not finite.
    pub(crate) fn cuts(&self, q: usize) -> Option<Vec<f64>> {
        let listed = self.answer == Some(q) && (self.is.is_some() || self.is_not.is_some());
        let in_ratio = matches!(self.numeric, Numeric::Ratio(a, b) if a == q || b == q);
        if listed || in_ratio {
            return None;
        }
        if !matches!(self.numeric, Numeric::Field(field) if field == q) {
            return Some(Vec::new());
        }
        self.bound_cuts()
    }

    /// The ratio the condition reads: (numerator, denominator).
    pub(crate) fn ratio(&self) -> Option<(usize, usize)> {
        match self.numeric {
            Numeric::Ratio(a, b) => Some((a, b)),
            _ => None,
        }
    }

    /// [`Self::cuts`] of the ratio of question `a` to question `b`, read as one number;
    /// `None` when the condition reads either question in another way.
    pub(crate) fn ratio_cuts(&self, a: usize, b: usize) -> Option<Vec<f64>> {
        let otherwise = |q| {
            self.answer == Some(q) || matches!(self.numeric, Numeric::Field(field) if field == q)
        };
        if a == b || otherwise(a) || otherwise(b) {
            return None;
        }
        match self.numeric {
            Numeric::Ratio(n, d) if (n, d) == (a, b) => self.bound_cuts(),
            Numeric::Ratio(n, d) if [n, d].iter().any(|q| *q == a || *q == b) => None,
            _ => Some(Vec::new()),
        }
    }

    /// The cuts of the condition's bounds (see [`Self::cuts`]); `None` for one not finite.
    fn bound_cuts(&self) -> Option<Vec<f64>> {
        let cuts = [self.at_least, self.at_most.map(f64::next_up)];
        (cuts.into_iter().flatten())
            .map(|cut| cut.is_finite().then_some(cut))
            .collect()
    }

    /// Whether the condition holds (an unknown answer never satisfies a condition).
    pub(crate) fn holds(&self, answers: &Answers) -> bool {
        let numeric = match self.numeric {
            Numeric::None => None,
            Numeric::Field(q) => answers.number(q),
            Numeric::Ratio(numerator, denominator) => {
                let numbers = (answers.number(numerator), answers.number(denominator));
                let Some(ratio) = ratio(numbers.0, numbers.1) else {
                    return false;
                };
                ratio
            }
        };
        if self.at_least.is_some() || self.at_most.is_some() {
            let Some(n) = numeric else { return false };
            if self.at_least.is_some_and(|min| n < min) || self.at_most.is_some_and(|max| n > max) {
                return false;
            }
        }
        let Some(question) = self.answer else {
            return self.is.is_none() && self.is_not.is_none();
        };
        let slot = answers.slot(question);
        if slot == Slot::Unknown {
            return false;
        }
        if self.is.as_ref().is_some_and(|w| !w.matches(answers, slot)) {
            return false;
        }
        !self
            .is_not
            .as_ref()
            .is_some_and(|w| w.matches(answers, slot))
    }
}

/// Answers the interview would not have asked beside the others (scored as given): each
/// question's id and when it is asked.
pub fn unasked_answers(questionnaire: &Questionnaire, profile: &Profile) -> Vec<(String, String)> {
    let answers = Answers::of(questionnaire, profile);
    (AskConditions::new(questionnaire).unasked(&answers))
        .filter_map(|q| questionnaire.questions.get(q))
        .map(|q| (q.id.clone(), q.asked_when()))
        .collect()
}

/// Whether the interview should ask `question`, given the answers so far.
pub fn should_ask(questionnaire: &Questionnaire, profile: &Profile, question: &Question) -> bool {
    let tests: Vec<Test> = (question.when.iter())
        .map(|condition| Test::new(condition, questionnaire))
        .collect();
    asked(&tests, &Answers::of(questionnaire, profile))
}

/// The conditions each question is asked under (`when`), resolved once for a run: a batch
/// tells, row by row, which answers the interview would not have asked.
#[derive(Debug, Clone, Default)]
pub struct AskConditions {
    /// The questions asked only under conditions: position and tests.
    questions: Vec<(usize, Vec<Test>)>,
}

impl AskConditions {
    pub fn new(questionnaire: &Questionnaire) -> AskConditions {
        let questions = (questionnaire.questions.iter().enumerate())
            .filter(|(_, q)| !q.when.is_empty())
            .map(|(position, q)| {
                let tests = q.when.iter().map(|c| Test::new(c, questionnaire));
                (position, tests.collect())
            })
            .collect();
        AskConditions { questions }
    }

    /// The positions of the questions answered (not prefilled) that the interview would not
    /// have asked beside the other answers, in the questionnaire's order.
    pub fn unasked<'s>(&'s self, answers: &'s Answers) -> impl Iterator<Item = usize> + 's {
        (self.questions.iter())
            .filter(|(q, _)| answers.slot(*q) != Slot::Unknown && !answers.is_prefilled(*q))
            .filter(|(_, tests)| !asked(tests, answers))
            .map(|(q, _)| *q)
    }
}

/// Whether a question asked under `tests` is asked with `answers`: unless a condition it is
/// asked under is known to fail. A condition on a question left unanswered may yet hold, so
/// it does not skip: a planner who does not know whether the office examines on substance may
/// still know its pendency.
fn asked(tests: &[Test], answers: &Answers) -> bool {
    tests.iter().all(|test| {
        test.reads()
            .any(|q| matches!(answers.slot(q), Slot::Unknown))
            || test.holds(answers)
    })
}
