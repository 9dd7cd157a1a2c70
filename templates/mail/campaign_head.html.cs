<?cs # campaign_head.html.cs: the frame of a campaign mail, before its body
     (the body is the campaign's template, rendered and escaped by lib/util/merge);
     every var: is HTML-escaped. ?><!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title><?cs var:Mail.subject ?></title></head>
<body style="margin:0;padding:0;background:#fbfaf8;color:#1d2430;font:16px/1.5 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif">
<div style="max-width:36rem;margin:0 auto;padding:1rem">
