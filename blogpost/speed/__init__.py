"""The optional speed plugin (`blogpost-speed`): measured patches of Material's and MkDocs' internals
that change how fast the site builds, never what it builds."""
