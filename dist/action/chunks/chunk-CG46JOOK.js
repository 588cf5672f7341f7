import { createRequire as __createRequire } from 'node:module';
const require = __createRequire(import.meta.url);
function redactUrl(address){let url;try{url=new URL(address)}catch{let query=address.indexOf("?");return query<0?address:`${address.slice(0,query)}?***`}let user=url.username||url.password?"***@":"";return`${url.protocol}//${user}${url.host}${url.pathname}${url.search?"?***":""}${url.hash}`}var redactUrlsIn=text=>text.replace(/\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>]+/gi,found=>redactUrl(found));export{redactUrl,redactUrlsIn};
