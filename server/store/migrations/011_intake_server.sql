-- Reserved for intake-server (placeholder so that 013 has no gap; the real file replaces it at merge).
SELECT 1;
