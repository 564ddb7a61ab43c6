//! schemadoc-render
