"""The authoring contract: what an author may write and what is published."""
