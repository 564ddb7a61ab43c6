//! schemadoc-dialect
