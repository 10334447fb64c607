//! The only writer of `public/`: files produced by `render` and `search` arrive here as
//! [`OutputFile`] values and are written into a staging folder that replaces `public/`
//! only when the whole build succeeded.

/// One file of the built site: its path below the site root (`decisions/21-019-020/index.html`)
/// and its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    /// Path relative to the output folder, with `/` separators and no leading `/`.
    pub path: String,
    /// The file's contents.
    pub bytes: Vec<u8>,
}
