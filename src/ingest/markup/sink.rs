//! html5ever's tree builder writing into the arena: the parser for every page the quick
//! parser gives up on.

use std::borrow::Cow;
use std::cell::{Ref, RefCell};

use html5ever::interface::tree_builder::{ElementFlags, NodeOrText, QuirksMode, TreeSink};
use html5ever::tendril::{StrTendril, TendrilSink};
use html5ever::{Attribute, QualName, local_name, ns};

use super::{DOCUMENT, Dom, Node, NodeData, NodeId, attach, detach, is_read_attribute, link};

/// Parses with html5ever, which implements every rule of the standard.
pub(super) fn parse_full(html: &str) -> Vec<Node> {
    let sink = Sink {
        nodes: RefCell::new(vec![Node::new(NodeData::Document)]),
    };
    let opts = html5ever::ParseOpts::default();
    html5ever::parse_document(sink, opts)
        .one(StrTendril::from(html))
        .nodes
}

struct Sink {
    nodes: RefCell<Vec<Node>>,
}

/// The name lent out for nodes that are not elements (the tree builder never asks for one).
fn no_name() -> &'static QualName {
    static EMPTY: std::sync::OnceLock<QualName> = std::sync::OnceLock::new();
    EMPTY.get_or_init(|| QualName::new(None, ns!(), local_name!("")))
}

impl Sink {
    fn push(&self, data: NodeData) -> NodeId {
        let mut nodes = self.nodes.borrow_mut();
        nodes.push(Node::new(data));
        nodes.len() - 1
    }

    /// Inserts as the last child of `parent`, or just before its child `before`.
    fn insert(&self, parent: NodeId, before: Option<NodeId>, child: NodeOrText<NodeId>) {
        let mut nodes = self.nodes.borrow_mut();
        match child {
            NodeOrText::AppendNode(id) => {
                detach(&mut nodes, id);
                attach(&mut nodes, parent, id, before);
            }
            NodeOrText::AppendText(text) => {
                // Merge with the neighbouring text node, as the DOM does.
                let neighbour = match before {
                    Some(b) => link(nodes[b].prev),
                    None => nodes[parent].last_child(),
                };
                if let Some(n) = neighbour
                    && let NodeData::Text(t) = &mut nodes[n].data
                {
                    t.push_tendril(&text);
                    return;
                }
                nodes.push(Node::new(NodeData::Text(text)));
                let id = nodes.len() - 1;
                attach(&mut nodes, parent, id, before);
            }
        }
    }
}

impl TreeSink for Sink {
    type Handle = NodeId;
    type Output = Dom;
    type ElemName<'a> = Ref<'a, QualName>;

    fn finish(self) -> Dom {
        Dom {
            nodes: self.nodes.into_inner(),
            names: Vec::new(),
            keys: Vec::new(),
            end: Vec::new(),
        }
    }

    fn parse_error(&self, _msg: Cow<'static, str>) {}

    fn get_document(&self) -> NodeId {
        DOCUMENT
    }

    fn elem_name<'a>(&'a self, target: &'a NodeId) -> Ref<'a, QualName> {
        Ref::map(self.nodes.borrow(), |nodes| match &nodes[*target].data {
            NodeData::Element { name, .. } => name,
            _ => no_name(),
        })
    }

    fn create_element(
        &self,
        name: QualName,
        mut attrs: Vec<Attribute>,
        _flags: ElementFlags,
    ) -> NodeId {
        attrs.retain(|a| is_read_attribute(&a.name.local));
        self.push(NodeData::Element { name, attrs })
    }

    fn create_comment(&self, text: StrTendril) -> NodeId {
        self.push(NodeData::Comment(text))
    }

    fn create_pi(&self, _target: StrTendril, _data: StrTendril) -> NodeId {
        self.push(NodeData::Other)
    }

    fn append(&self, parent: &NodeId, child: NodeOrText<NodeId>) {
        self.insert(*parent, None, child);
    }

    fn append_based_on_parent_node(
        &self,
        element: &NodeId,
        prev_element: &NodeId,
        child: NodeOrText<NodeId>,
    ) {
        let has_parent = self.nodes.borrow()[*element].parent.is_some();
        if has_parent {
            self.append_before_sibling(element, child);
        } else {
            self.append(prev_element, child);
        }
    }

    fn append_doctype_to_document(
        &self,
        _name: StrTendril,
        _public_id: StrTendril,
        _system_id: StrTendril,
    ) {
    }

    fn get_template_contents(&self, target: &NodeId) -> NodeId {
        // Template contents are stripped by the guard; any that slip through live in place.
        *target
    }

    fn same_node(&self, x: &NodeId, y: &NodeId) -> bool {
        x == y
    }

    fn set_quirks_mode(&self, _mode: QuirksMode) {}

    fn append_before_sibling(&self, sibling: &NodeId, new_node: NodeOrText<NodeId>) {
        let Some(parent) = self.nodes.borrow()[*sibling].parent else {
            return;
        };
        self.insert(parent, Some(*sibling), new_node);
    }

    fn add_attrs_if_missing(&self, target: &NodeId, attrs: Vec<Attribute>) {
        let mut nodes = self.nodes.borrow_mut();
        if let NodeData::Element { attrs: have, .. } = &mut nodes[*target].data {
            for a in attrs {
                if is_read_attribute(&a.name.local) && !have.iter().any(|h| h.name == a.name) {
                    have.push(a);
                }
            }
        }
    }

    fn remove_from_parent(&self, target: &NodeId) {
        let mut nodes = self.nodes.borrow_mut();
        detach(&mut nodes, *target);
    }

    fn reparent_children(&self, node: &NodeId, new_parent: &NodeId) {
        let mut nodes = self.nodes.borrow_mut();
        while let Some(k) = link(nodes[*node].first) {
            detach(&mut nodes, k);
            attach(&mut nodes, *new_parent, k, None);
        }
    }
}
