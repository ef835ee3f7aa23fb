//! A small tree of HTML elements and text for the parts of the server's pages that are built from
//! data (the family's start page): each text and attribute is escaped once, where it is written,
//! rather than at every place a page puts one together.

use super::escape;

/// An element or a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Markup {
    Element(Element),
    Text(String),
}

/// An element with its attributes (values unescaped) and children.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Element {
    pub tag: &'static str,
    pub attrs: Vec<(&'static str, String)>,
    pub children: Vec<Markup>,
}

/// An element with a class (none when `class` is empty).
pub fn el(tag: &'static str, class: &str) -> Element {
    let attrs = if class.is_empty() {
        Vec::new()
    } else {
        vec![("class", class.to_owned())]
    };
    Element {
        tag,
        attrs,
        children: Vec::new(),
    }
}

impl Element {
    pub fn attr(mut self, name: &'static str, value: String) -> Self {
        self.attrs.push((name, value));
        self
    }

    pub fn child(mut self, child: Element) -> Self {
        self.children.push(Markup::Element(child));
        self
    }

    pub fn children(mut self, children: Vec<Markup>) -> Self {
        self.children.extend(children);
        self
    }

    pub fn text(mut self, text: String) -> Self {
        self.children.push(Markup::Text(text));
        self
    }

    /// A space between inline children.
    pub fn space(mut self) -> Self {
        self.children.push(Markup::Text(" ".to_owned()));
        self
    }
}

impl From<Element> for Markup {
    fn from(element: Element) -> Self {
        Markup::Element(element)
    }
}

impl Markup {
    /// As HTML, escaped.
    pub fn write_html(&self, out: &mut String) {
        match self {
            Markup::Text(text) => out.push_str(&escape(text)),
            Markup::Element(e) => {
                out.push('<');
                out.push_str(e.tag);
                for (name, value) in &e.attrs {
                    out.push(' ');
                    out.push_str(name);
                    out.push_str("=\"");
                    out.push_str(&escape(value));
                    out.push('"');
                }
                out.push('>');
                for child in &e.children {
                    child.write_html(out);
                }
                out.push_str("</");
                out.push_str(e.tag);
                out.push('>');
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_and_attributes_are_escaped() {
        let mut html = String::new();
        Markup::from(
            el("a", "task")
                .attr("href", "/x?a=1&b=\"2\"".to_owned())
                .text("<Ida> & Bo".to_owned()),
        )
        .write_html(&mut html);
        assert_eq!(
            html,
            "<a class=\"task\" href=\"/x?a=1&amp;b=&quot;2&quot;\">&lt;Ida&gt; &amp; Bo</a>"
        );
    }
}
