//! schemadoc-extract
