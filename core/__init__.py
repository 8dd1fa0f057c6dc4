"""The shared contract at the bottom of Marsad: the Article, settings, errors, config reading.

Everything else imports from here; nothing here imports from crawler/, indexer/ or marsad/.
"""
