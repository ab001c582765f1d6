"""The SCORM engine: manifests, package import, run-time data model and package build.

Plain Python with no Flask inside, shared by the LMS, the CLI and the XBlocks.
"""
