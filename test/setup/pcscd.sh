#!/usr/bin/env bash
# Placeholder until the PC/SC suite lands: starts and stops nothing.
exit 0
