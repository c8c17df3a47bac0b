//! Reports as one self-contained HTML page a supervisor can open from an e-mail or a shared
//! drive, put on a projector or print: charts before tables, tables a reader can sort and
//! filter, and each worker's handout on a page of its own.
//!
//! Renderers of the same data as the text and JSON reports, and with the same sentences: every
//! figure comes from the explanation, the summary or the plan they are given. Templates are
//! maud's, which escapes every inserted text (ids and names come from files other people wrote);
//! charts are inline SVG drawn by [`chart`]; the page's style and script are embedded from
//! `report.css` and `report.js`, and nothing is fetched. A function here returns the page as a
//! string and knows nothing of files or terminals, so the command line writes it and a server
//! can send it. The same input gives the same bytes.

mod chart;
mod compare;
mod handout;
mod page;
mod proposal;
mod staffing;
mod team;

pub use chart::Scale;
pub use compare::{compare_html, tradeoff_html, whatif_html};
pub use handout::handout_html;
pub use proposal::{proposal_html, FIRST_PAGE};
pub use staffing::staffing_html;
pub use team::check_html;
