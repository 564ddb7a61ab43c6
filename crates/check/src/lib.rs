//! schemadoc-check
