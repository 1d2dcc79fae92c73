//! Strings that match a `pattern`, for the subset of ECMA-262 regular
//! expressions that API specs use: literals and escapes, `.`, classes
//! (`[a-f0-9]`, `[^,]`, `\d`, `\w`, `\s`), groups with alternation
//! (`(a|b)`, `(?:...)`), and the quantifiers `?`, `*`, `+`, `{n}`, `{n,}`,
//! `{n,m}` (lazy or not). Anchors are taken as given: the whole string is
//! generated. A look-ahead (`(?!...)`, `(?=...)`) generates nothing, and
//! the oracle judges whether the string made of the rest matches. Anything
//! else (look-behind, back-references, named classes) is refused with
//! `None`; the caller then has no instance for that schema.

use fastrand::Rng;

/// How many repetitions an open quantifier (`*`, `+`, `{n,}`) adds at most.
const OPEN_EXTRA: usize = 3;

#[derive(Debug)]
enum Node {
    /// One character out of a set of ranges (negated: any printable ASCII
    /// character outside them).
    Class {
        ranges: Vec<(char, char)>,
        negated: bool,
    },
    Alternation(Vec<Vec<Node>>),
    Repeat {
        node: Box<Node>,
        min: usize,
        /// `None` for `*`, `+` and `{n,}`: up to `min` plus [`OPEN_EXTRA`],
        /// or more where a length asks for it.
        max: Option<usize>,
    },
}

/// A string matching `pattern`, or `None` outside the supported subset.
pub fn generate(pattern: &str, rng: &mut Rng) -> Option<String> {
    generate_within(pattern, rng, 0, None)
}

/// [`generate`], of `min` to `max` characters where a few tries find one
/// (`minLength` and `maxLength` beside the pattern: BitGo's routing number,
/// `^[0-9]+$` of exactly 9); open quantifiers may then repeat up to `max`
/// times. Else the last string tried, for the oracle to judge.
pub fn generate_within(
    pattern: &str,
    rng: &mut Rng,
    min: usize,
    max: Option<usize>,
) -> Option<String> {
    let chars: Vec<char> = pattern.chars().collect();
    let mut parser = Parser { chars, at: 0 };
    let tree = parser.alternation()?;
    if parser.at != parser.chars.len() {
        return None;
    }
    let open_extra = max.unwrap_or(min).clamp(OPEN_EXTRA, MAX_OPEN_EXTRA);
    let mut out = String::new();
    for _ in 0..TRIES {
        out.clear();
        emit(&tree, rng, open_extra, &mut out);
        let len = out.chars().count();
        if len >= min && max.is_none_or(|max| len <= max) {
            break;
        }
    }
    Some(out)
}

/// How many strings [`generate_within`] tries for one of the right length.
const TRIES: usize = 32;

/// The most repetitions a length lets an open quantifier add (nested ones
/// multiply).
const MAX_OPEN_EXTRA: usize = 64;

fn emit(node: &Node, rng: &mut Rng, open_extra: usize, out: &mut String) {
    match node {
        Node::Class { ranges, negated } => out.push(pick_char(ranges, *negated, rng)),
        Node::Alternation(branches) => {
            let branch = &branches[rng.usize(..branches.len())];
            for node in branch {
                emit(node, rng, open_extra, out);
            }
        }
        Node::Repeat { node, min, max } => {
            let max = max.unwrap_or(*min + open_extra);
            for _ in 0..rng.usize(*min..=max) {
                emit(node, rng, open_extra, out);
            }
        }
    }
}

fn pick_char(ranges: &[(char, char)], negated: bool, rng: &mut Rng) -> char {
    if negated {
        let allowed: Vec<char> = (' '..='~')
            .filter(|c| !ranges.iter().any(|(lo, hi)| (lo..=hi).contains(&c)))
            .collect();
        return allowed
            .get(rng.usize(..allowed.len().max(1)))
            .copied()
            .unwrap_or('~');
    }
    let (lo, hi) = ranges[rng.usize(..ranges.len())];
    char::from_u32(rng.u32(lo as u32..=hi as u32)).unwrap_or(lo)
}

struct Parser {
    chars: Vec<char>,
    at: usize,
}

impl Parser {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.at).copied()
    }

    fn next(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.at += 1;
        Some(c)
    }

    fn alternation(&mut self) -> Option<Node> {
        let mut branches = vec![self.sequence()?];
        while self.peek() == Some('|') {
            self.at += 1;
            branches.push(self.sequence()?);
        }
        Some(Node::Alternation(branches))
    }

    fn sequence(&mut self) -> Option<Vec<Node>> {
        let mut nodes = Vec::new();
        while let Some(c) = self.peek() {
            match c {
                '|' | ')' => break,
                '^' | '$' => {
                    self.at += 1;
                }
                _ => {
                    let atom = self.atom()?;
                    nodes.push(self.quantified(atom)?);
                }
            }
        }
        Some(nodes)
    }

    fn atom(&mut self) -> Option<Node> {
        match self.next()? {
            '(' => {
                if self.peek() == Some('?') {
                    self.at += 1;
                    match self.next()? {
                        ':' => {}
                        '!' | '=' => {
                            // A look-ahead emits nothing: the string is
                            // made from the rest, and the oracle judges
                            // it (Oxide's names: not a UUID, then a name).
                            self.alternation()?;
                            return (self.next()? == ')').then(|| Node::Alternation(vec![vec![]]));
                        }
                        _ => return None, // look-behind or a named group
                    }
                }
                let inner = self.alternation()?;
                (self.next()? == ')').then_some(inner)
            }
            '[' => self.class(),
            '.' => Some(Node::Class {
                ranges: vec![('a', 'z'), ('A', 'Z'), ('0', '9')],
                negated: false,
            }),
            '\\' => self.escape(),
            '*' | '+' | '?' | '{' | ')' => None,
            c => Some(literal(c)),
        }
    }

    fn escape(&mut self) -> Option<Node> {
        let ranges = match self.next()? {
            'd' => vec![('0', '9')],
            'w' => vec![('a', 'z'), ('A', 'Z'), ('0', '9'), ('_', '_')],
            's' => vec![(' ', ' ')],
            'D' | 'W' | 'S' | 'b' | 'B' | '1'..='9' | 'p' | 'P' | 'u' | 'x' | 'c' | 'k' => {
                return None;
            }
            'n' => vec![('\n', '\n')],
            't' => vec![('\t', '\t')],
            c => vec![(c, c)],
        };
        Some(Node::Class {
            ranges,
            negated: false,
        })
    }

    fn class(&mut self) -> Option<Node> {
        let negated = self.peek() == Some('^');
        if negated {
            self.at += 1;
        }
        let mut ranges = Vec::new();
        let mut first = true;
        loop {
            let c = self.next()?;
            if c == ']' && !first {
                break;
            }
            first = false;
            let lo = if c == '\\' {
                match self.next()? {
                    'd' => {
                        ranges.push(('0', '9'));
                        continue;
                    }
                    'w' => {
                        ranges.extend([('a', 'z'), ('A', 'Z'), ('0', '9'), ('_', '_')]);
                        continue;
                    }
                    's' => {
                        ranges.push((' ', ' '));
                        continue;
                    }
                    'D' | 'W' | 'S' | 'p' | 'P' | 'u' | 'x' => return None,
                    'n' => '\n',
                    't' => '\t',
                    other => other,
                }
            } else {
                c
            };
            if self.peek() == Some('-') && self.chars.get(self.at + 1) != Some(&']') {
                self.at += 1;
                let mut hi = self.next()?;
                if hi == '\\' {
                    hi = self.next()?;
                }
                if hi < lo {
                    return None;
                }
                ranges.push((lo, hi));
            } else {
                ranges.push((lo, lo));
            }
        }
        if ranges.is_empty() {
            return None;
        }
        Some(Node::Class { ranges, negated })
    }

    fn quantified(&mut self, atom: Node) -> Option<Node> {
        let (min, max) = match self.peek() {
            Some('?') => (0, Some(1)),
            Some('*') => (0, None),
            Some('+') => (1, None),
            Some('{') => {
                let start = self.at;
                self.at += 1;
                let min = self.number();
                let bounds = match (min, self.next()) {
                    (Some(n), Some('}')) => Some((n, Some(n))),
                    (Some(n), Some(',')) => match (self.number(), self.next()) {
                        (Some(m), Some('}')) if m >= n => Some((n, Some(m))),
                        (None, Some('}')) => Some((n, None)),
                        _ => None,
                    },
                    _ => None,
                };
                match bounds {
                    Some(bounds) => {
                        self.at -= 1; // the caller steps over the closing brace
                        bounds
                    }
                    None => {
                        // A literal `{`, as ECMA-262 reads one that opens no quantifier.
                        self.at = start;
                        return Some(atom);
                    }
                }
            }
            _ => return Some(atom),
        };
        self.at += 1;
        if self.peek() == Some('?') {
            self.at += 1;
        }
        Some(Node::Repeat {
            node: Box::new(atom),
            min,
            max,
        })
    }

    fn number(&mut self) -> Option<usize> {
        let start = self.at;
        while self.peek().is_some_and(|c| c.is_ascii_digit()) {
            self.at += 1;
        }
        self.chars[start..self.at]
            .iter()
            .collect::<String>()
            .parse()
            .ok()
    }
}

fn literal(c: char) -> Node {
    Node::Class {
        ranges: vec![(c, c)],
        negated: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matches(pattern: &str, text: &str) -> bool {
        regex::Regex::new(pattern).unwrap().is_match(text)
    }

    #[test]
    fn generated_strings_match_their_pattern() {
        let patterns = [
            "^[0-9a-f]{32}$",
            "^0x[a-fA-F0-9]{40}$",
            "^(\\d+(\\.\\d+)?)$",
            "^[a-z]+(-[a-z]+)*$",
            "^(?:v1|v2)\\.[a-z]{2,5}$",
            "^\\w{3,}@example\\.com$",
            "[^,]+",
            "^-?[0-9]+$",
            "^[A-Z]{2}\\d{0,4}$",
        ];
        let mut rng = Rng::with_seed(7);
        for pattern in patterns {
            for _ in 0..50 {
                let text = generate(pattern, &mut rng).unwrap_or_else(|| panic!("{pattern}"));
                assert!(matches(pattern, &text), "{pattern}: {text:?}");
            }
        }
    }

    #[test]
    fn lengths_beside_a_pattern_are_met_where_open_quantifiers_allow() {
        let mut rng = Rng::with_seed(3);
        for _ in 0..50 {
            let text = generate_within("^[0-9]+$", &mut rng, 9, Some(9)).unwrap();
            assert_eq!(text.len(), 9, "{text:?}");
            assert!(matches("^[0-9]+$", &text));
            let text = generate_within("^[a-z]{2}-\\d*$", &mut rng, 6, None).unwrap();
            assert!(
                text.len() >= 6 && matches("^[a-z]{2}-\\d*$", &text),
                "{text:?}"
            );
        }
    }

    #[test]
    fn look_behind_and_back_references_are_refused() {
        let mut rng = Rng::with_seed(1);
        for pattern in ["^(?<=a)b$", "^(a)\\1$", "^\\p{L}+$"] {
            assert!(generate(pattern, &mut rng).is_none(), "{pattern}");
        }
    }

    #[test]
    fn a_look_ahead_generates_nothing_and_the_rest_is_generated() {
        // Oxide's `Name`: not a UUID, then a lower-case name.
        let pattern = "^(?![0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$)^[a-z][a-z0-9-]*[a-zA-Z0-9]*$";
        let rest = "^[a-z][a-z0-9-]*[a-zA-Z0-9]*$";
        let mut rng = Rng::with_seed(5);
        for _ in 0..50 {
            let text = generate(pattern, &mut rng).unwrap();
            assert!(matches(rest, &text), "{text:?}");
        }
    }
}
