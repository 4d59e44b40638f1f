# InboundEmail arrives with the inbound issue (webhook, parser, states).
