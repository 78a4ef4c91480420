"""Dialogs: small modal questions a screen asks, one a file; each dismisses with its answer."""
